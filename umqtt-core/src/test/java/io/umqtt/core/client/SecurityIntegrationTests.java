package io.umqtt.core.client;

import java.time.Duration;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.SslParams;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * User names and passwords, TLS and mutual TLS, against brokers configured for them.
 */
class SecurityIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@Nested
	@MqttBrokerTest(username = "device-1", password = "pa55word")
	class Password {

		@Test
		void rightCredentialsConnect(MqttBroker broker) {
			MqttClient client = SecurityIntegrationTests.this.clients.track(new MqttClient(Clients.id("auth"),
					broker.host(), broker.port(), "device-1", "pa55word", 30));
			assertThat(client.connect()).isZero();
		}

		@Test
		void wrongPasswordIsRefusedWithItsReturnCodeAndNotRetried(MqttBroker broker) {
			MqttClient client = SecurityIntegrationTests.this.clients.track(new MqttClient(Clients.id("auth-bad"),
					broker.host(), broker.port(), "device-1", "wrong", 30));
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.satisfies((ex) -> assertThat(ex.returnCode()).isIn(4, 5))
				.withMessageContaining("Connection refused");
			assertThat(client.getMqttsta()).isEqualTo(-1);
		}

		@Test
		void passwordNeverAppearsInToString(MqttBroker broker) {
			MqttClient client = SecurityIntegrationTests.this.clients.track(new MqttClient(Clients.id("secret"),
					broker.host(), broker.port(), "device-1", "pa55word", 0));
			assertThat(client.toString()).contains("device-1").doesNotContain("pa55word");
		}

		@Test
		void aPasswordWithoutUserNameIsRefusedAtBuildTime() {
			org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
				.isThrownBy(() -> MqttClient.builder("x", "127.0.0.1").password("p").build())
				.withMessageContaining("MQTT-3.1.2-22");
		}

	}

	@Nested
	@MqttBrokerTest(tls = true)
	class Tls {

		@Test
		void connectsTrustingTheTestCaAndVerifyingTheHostName(MqttBroker broker) {
			MqttClient client = SecurityIntegrationTests.this.clients.track(MqttClient.builder(Clients.id("tls"),
					"localhost")
				.port(broker.tlsPort())
				.ssl(true)
				.sslParams(SslParams.trust(broker.tlsMaterial().caCertificate()))
				.dispatchThread(true)
				.build());
			Received received = new Received();
			client.setCallback(received);
			assertThat(client.connect()).isZero();
			client.subscribe("tls/t", 2);
			client.publish("tls/t", "encrypted", false, 2);
			assertThat(received.awaitCount(1).payloads()).containsExactly("encrypted");
		}

		@Test
		void refusesAServerItDoesNotTrust(MqttBroker broker) {
			MqttClient client = SecurityIntegrationTests.this.clients.track(MqttClient.builder(Clients.id("untrusted"),
					"localhost")
				.port(broker.tlsPort())
				.ssl(true)
				.connectTimeout(Duration.ofSeconds(5))
				.build());
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect);
		}

		@Test
		void hostNameVerificationRefusesANameNotInTheCertificate(MqttBroker broker) {
			// the certificate names localhost, 127.0.0.1 and ::1; 127.0.0.2 reaches the same listener
			MqttClient client = SecurityIntegrationTests.this.clients.track(MqttClient.builder(Clients.id("hostname"),
					"127.0.0.2")
				.port(broker.tlsPort())
				.ssl(true)
				.sslParams(SslParams.trust(broker.tlsMaterial().caCertificate()))
				.connectTimeout(Duration.ofSeconds(5))
				.build());
			org.junit.jupiter.api.Assumptions.assumeTrue(io.umqtt.test.FreePort.isListening(broker.tlsPort()));
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect);
		}

	}

	@Nested
	@MqttBrokerTest(tls = true, requireClientCertificate = true)
	class MutualTls {

		@Test
		void connectsPresentingPemClientCertificate(MqttBroker broker) {
			MqttClient client = SecurityIntegrationTests.this.clients.track(MqttClient.builder(Clients.id("mtls"),
					"127.0.0.1")
				.port(broker.tlsPort())
				.ssl(true)
				.sslParams(SslParams.mutual(broker.tlsMaterial().caCertificate(),
						broker.tlsMaterial().clientCertificate(), broker.tlsMaterial().clientKey()))
				.build());
			assertThat(client.connect()).isZero();
			assertThat(client.publish("mtls/t", "x", false, 1)).isTrue();
		}

		@Test
		void connectsWithAJdkSslContext(MqttBroker broker) {
			MqttClient client = SecurityIntegrationTests.this.clients.track(MqttClient.builder(Clients.id("mtls-jdk"),
					"127.0.0.1")
				.port(broker.tlsPort())
				.ssl(true)
				.sslParams(SslParams.of(broker.tlsMaterial().clientSslContext()))
				.build());
			assertThat(client.connect()).isZero();
		}

		@Test
		void withoutAClientCertificateTheConnectionFails(MqttBroker broker) {
			MqttClient client = SecurityIntegrationTests.this.clients.track(MqttClient.builder(Clients.id("mtls-none"),
					"127.0.0.1")
				.port(broker.tlsPort())
				.ssl(true)
				.sslParams(SslParams.trust(broker.tlsMaterial().caCertificate()))
				.connectTimeout(Duration.ofSeconds(5))
				.build());
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect);
		}

	}

}
