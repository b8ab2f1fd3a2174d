package io.umqtt.core.client;

import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.SslParams;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.BrokerOptions;
import io.umqtt.test.MosquittoBroker;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import io.umqtt.test.TlsMaterial;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
			MqttClient client = SecurityIntegrationTests.this.clients
				.track(new MqttClient(Clients.id("auth"), broker.host(), broker.port(), "device-1", "pa55word", 30));
			assertThat(client.connect()).isZero();
		}

		@Test
		void wrongPasswordIsRefusedWithItsReturnCodeAndNotRetried(MqttBroker broker) {
			MqttClient client = SecurityIntegrationTests.this.clients
				.track(new MqttClient(Clients.id("auth-bad"), broker.host(), broker.port(), "device-1", "wrong", 30));
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.satisfies((ex) -> assertThat(ex.returnCode()).isIn(4, 5))
				.withMessageContaining("Connection refused");
			assertThat(client.getMqttsta()).isEqualTo(-1);
		}

		@Test
		void passwordNeverAppearsInToString(MqttBroker broker) {
			MqttClient client = SecurityIntegrationTests.this.clients
				.track(new MqttClient(Clients.id("secret"), broker.host(), broker.port(), "device-1", "pa55word", 0));
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
			MqttClient client = SecurityIntegrationTests.this.clients
				.track(MqttClient.builder(Clients.id("tls"), "localhost")
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
			MqttClient client = SecurityIntegrationTests.this.clients
				.track(MqttClient.builder(Clients.id("untrusted"), "localhost")
					.port(broker.tlsPort())
					.ssl(true)
					.connectTimeout(Duration.ofSeconds(5))
					.build());
			// the JDK's trust store does not hold the test CA: the chain check fails, not
			// the socket
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.satisfies((ex) -> assertThat(causes(ex))
					.anySatisfy((cause) -> assertThat(cause).isInstanceOf(SSLHandshakeException.class)
						.hasMessageContaining("PKIX path building failed")));
		}

	}

	/**
	 * The TLS listener also answers on 127.0.0.2, a loopback address its certificate
	 * (localhost, 127.0.0.1, ::1) does not name: the handshake reaches a trusted server
	 * whose certificate lacks the dialled name.
	 */
	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO, tls = true)
	class HostNameVerification {

		private static final String UNNAMED = TlsMaterial.UNNAMED_LOOPBACK_ADDRESS;

		@Test
		void pemTrustRefusesAServerWhoseCertificateLacksTheDialledName(MqttBroker broker) {
			assertRefusedForTheName(connectTo(broker, SslParams.trust(broker.tlsMaterial().caCertificate())));
		}

		@Test
		void pemTrustWithoutHostNameVerificationConnectsToThatServer(MqttBroker broker) {
			MqttClient client = connectTo(broker,
					SslParams.trust(broker.tlsMaterial().caCertificate()).withoutHostnameVerification());
			assertThat(client.connect()).isZero();
			assertThat(client.publish("tls/unnamed", "x", false, 1)).isTrue();
		}

		@Test
		void trustStoreContextRefusesAServerWhoseCertificateLacksTheDialledName(MqttBroker broker) {
			assertRefusedForTheName(connectTo(broker, SslParams.of(broker.tlsMaterial().clientSslContext())));
		}

		@Test
		void trustStoreContextWithoutHostNameVerificationConnectsToThatServer(MqttBroker broker) {
			MqttClient client = connectTo(broker,
					SslParams.of(broker.tlsMaterial().clientSslContext()).withoutHostnameVerification());
			assertThat(client.connect()).isZero();
		}

		private MqttClient connectTo(MqttBroker broker, SslParams params) {
			return SecurityIntegrationTests.this.clients.track(MqttClient.builder(Clients.id("hostname"), UNNAMED)
				.port(broker.tlsPort())
				.ssl(true)
				.sslParams(params)
				.reconn(false)
				.connectTimeout(Duration.ofSeconds(10))
				.build());
		}

		private void assertRefusedForTheName(MqttClient client) {
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.satisfies((ex) -> assertThat(causes(ex))
					.anySatisfy((cause) -> assertThat(cause).isInstanceOf(CertificateException.class)
						.hasMessageContaining(UNNAMED)));
		}

	}

	/**
	 * Protocol versions and cipher suites, against Mosquitto listeners that accept only
	 * some.
	 */
	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class TlsSettings {

		private MosquittoBroker broker;

		private int tls13Only;

		private int aes128Only;

		private int tls13Aes256Only;

		@BeforeAll
		void startBroker() {
			Assumptions.assumeTrue(MosquittoBroker.isInstalled(), "needs Mosquitto");
			this.broker = new MosquittoBroker(new BrokerOptions(null, null, true, false));
			this.tls13Only = this.broker.addTlsListener("tls_version tlsv1.3");
			this.aes128Only = this.broker.addTlsListener("tls_version tlsv1.2", "ciphers ECDHE-ECDSA-AES128-GCM-SHA256",
					"ciphers_tls1.3 TLS_AES_128_GCM_SHA256");
			this.tls13Aes256Only = this.broker.addTlsListener("tls_version tlsv1.3",
					"ciphers_tls1.3 TLS_AES_256_GCM_SHA384");
			this.broker.start();
		}

		@AfterAll
		void stopBroker() {
			if (this.broker != null) {
				this.broker.close();
			}
		}

		@Test
		void aClientLimitedToTls12IsRefusedByATls13OnlyListener() {
			MqttClient client = client(this.tls13Only, trusting().withProtocols("TLSv1.2"));
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.satisfies((ex) -> assertThat(causes(ex))
					.anySatisfy((cause) -> assertThat(cause).isInstanceOf(SSLHandshakeException.class)
						.hasMessageContaining("protocol_version")));
		}

		@Test
		void theDefaultsConnectToATls13OnlyListener() {
			assertThat(client(this.tls13Only, trusting()).connect()).isZero();
		}

		@Test
		void aTls12CipherTheListenerAcceptsConnects() {
			MqttClient client = client(this.aes128Only,
					trusting().withProtocols("TLSv1.2").withCiphers("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
			assertThat(client.connect()).isZero();
		}

		@Test
		void aTls12CipherTheListenerDoesNotAcceptIsRefused() {
			MqttClient client = client(this.aes128Only,
					trusting().withProtocols("TLSv1.2").withCiphers("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.satisfies((ex) -> assertThat(causes(ex))
					.anySatisfy((cause) -> assertThat(cause).isInstanceOf(SSLHandshakeException.class)
						.hasMessageContaining("handshake_failure")));
		}

		@Test
		void tls13CiphersAreOfferedAsGiven() {
			assertThat(client(this.tls13Aes256Only, trusting().withCiphers("TLS_AES_256_GCM_SHA384")).connect())
				.isZero();
			MqttClient other = client(this.tls13Aes256Only, trusting().withCiphers("TLS_AES_128_GCM_SHA256"));
			assertThatExceptionOfType(MqttException.class).isThrownBy(other::connect)
				.satisfies((ex) -> assertThat(causes(ex))
					.anySatisfy((cause) -> assertThat(cause).isInstanceOf(SSLHandshakeException.class)
						.hasMessageContaining("handshake_failure")));
		}

		@Test
		void aJdkContextGetsTheSettingsToo() {
			MqttClient client = client(this.tls13Only,
					SslParams.of(this.broker.tlsMaterial().clientSslContext()).withProtocols("TLSv1.2"));
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.satisfies((ex) -> assertThat(causes(ex))
					.anySatisfy((cause) -> assertThat(cause).isInstanceOf(SSLHandshakeException.class)
						.hasMessageContaining("protocol_version")));
		}

		private SslParams trusting() {
			return SslParams.trust(this.broker.tlsMaterial().caCertificate());
		}

		private MqttClient client(int port, SslParams params) {
			return SecurityIntegrationTests.this.clients
				.track(MqttClient.builder(Clients.id("tls-settings"), "127.0.0.1")
					.port(port)
					.ssl(true)
					.sslParams(params)
					.reconn(false)
					.connectTimeout(Duration.ofSeconds(10))
					.build());
		}

	}

	static List<Throwable> causes(Throwable thrown) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable t = thrown; t != null && causes.size() < 20; t = t.getCause()) {
			causes.add(t);
		}
		return causes;
	}

	@Nested
	@MqttBrokerTest(tls = true, requireClientCertificate = true)
	class MutualTls {

		@Test
		void connectsPresentingPemClientCertificate(MqttBroker broker) {
			MqttClient client = SecurityIntegrationTests.this.clients
				.track(MqttClient.builder(Clients.id("mtls"), "127.0.0.1")
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
			MqttClient client = SecurityIntegrationTests.this.clients
				.track(MqttClient.builder(Clients.id("mtls-jdk"), "127.0.0.1")
					.port(broker.tlsPort())
					.ssl(true)
					.sslParams(SslParams.of(broker.tlsMaterial().clientSslContext()))
					.build());
			assertThat(client.connect()).isZero();
		}

		@Test
		void withoutAClientCertificateTheConnectionFails(MqttBroker broker) {
			MqttClient client = SecurityIntegrationTests.this.clients
				.track(MqttClient.builder(Clients.id("mtls-none"), "127.0.0.1")
					.port(broker.tlsPort())
					.ssl(true)
					.sslParams(SslParams.trust(broker.tlsMaterial().caCertificate()))
					.connectTimeout(Duration.ofSeconds(5))
					.build());
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect);
		}

	}

}
