package io.umqtt.spring.boot.autoconfigure;

import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import io.umqtt.core.MqttClient;
import io.umqtt.test.BrokerOptions;
import io.umqtt.test.MosquittoBroker;
import io.umqtt.test.TlsMaterial;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Host-name verification and a bundle's options (enabled protocols, ciphers) through a
 * Spring Boot SSL bundle, against Mosquitto listeners: one that also answers on a
 * loopback address its certificate does not name, one that speaks TLS 1.3 only, one that
 * takes a single TLS 1.2 suite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UmqttSslBundleSettingsIntegrationTests {

	private MosquittoBroker broker;

	private int tls13Only;

	private int aes128Only;

	@BeforeAll
	void startBroker() {
		Assumptions.assumeTrue(MosquittoBroker.isInstalled(), "needs Mosquitto");
		this.broker = new MosquittoBroker(new BrokerOptions(null, null, true, false));
		this.tls13Only = this.broker.addTlsListener("tls_version tlsv1.3");
		this.aes128Only = this.broker.addTlsListener("tls_version tlsv1.2", "ciphers ECDHE-ECDSA-AES128-GCM-SHA256",
				"ciphers_tls1.3 TLS_AES_128_GCM_SHA256");
		this.broker.start();
	}

	@AfterAll
	void stopBroker() {
		if (this.broker != null) {
			this.broker.close();
		}
	}

	private ApplicationContextRunner runner(String server, int port) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withPropertyValues(
					"spring.ssl.bundle.pem.mqtt.truststore.certificate=file:"
							+ this.broker.tlsMaterial().caCertificate(),
					"umqtt.server=" + server, "umqtt.port=" + port, "umqtt.ssl.bundle=mqtt", "umqtt.reconn=false",
					"umqtt.connect-timeout=10s");
	}

	@Test
	void theBundleVerifiesTheHostName() {
		runner(TlsMaterial.UNNAMED_LOOPBACK_ADDRESS, this.broker.tlsPort()).withPropertyValues("umqtt.fail-fast=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(causes(context.getStartupFailure()))
					.anySatisfy((cause) -> assertThat(cause).isInstanceOf(CertificateException.class)
						.hasMessageContaining(TlsMaterial.UNNAMED_LOOPBACK_ADDRESS));
			});
	}

	@Test
	void verifyHostnameFalseConnectsToThatServer() {
		runner(TlsMaterial.UNNAMED_LOOPBACK_ADDRESS, this.broker.tlsPort())
			.withPropertyValues("umqtt.ssl.verify-hostname=false")
			.run((context) -> {
				MqttClient client = context.getBean(MqttClient.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> client.getMqttsta() == 0);
				assertThat(client.publish("tls/unverified", "x", false, 1)).isTrue();
			});
	}

	@Test
	void theBundlesEnabledProtocolsReachTheClient() {
		runner("127.0.0.1", this.tls13Only)
			.withPropertyValues("spring.ssl.bundle.pem.mqtt.options.enabled-protocols=TLSv1.2", "umqtt.fail-fast=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(causes(context.getStartupFailure()))
					.anySatisfy((cause) -> assertThat(cause).isInstanceOf(SSLHandshakeException.class)
						.hasMessageContaining("protocol_version"));
			});
	}

	@Test
	void theBundlesCiphersReachTheClient() {
		runner("127.0.0.1", this.aes128Only)
			.withPropertyValues("spring.ssl.bundle.pem.mqtt.options.enabled-protocols=TLSv1.2",
					"spring.ssl.bundle.pem.mqtt.options.ciphers=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
					"umqtt.fail-fast=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(causes(context.getStartupFailure()))
					.anySatisfy((cause) -> assertThat(cause).isInstanceOf(SSLHandshakeException.class)
						.hasMessageContaining("handshake_failure"));
			});
		runner("127.0.0.1", this.aes128Only)
			.withPropertyValues("spring.ssl.bundle.pem.mqtt.options.enabled-protocols=TLSv1.2",
					"spring.ssl.bundle.pem.mqtt.options.ciphers=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
			.run((context) -> {
				MqttClient client = context.getBean(MqttClient.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> client.getMqttsta() == 0);
			});
	}

	private static List<Throwable> causes(Throwable thrown) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable t = thrown; t != null && causes.size() < 30; t = t.getCause()) {
			causes.add(t);
		}
		return causes;
	}

}
