package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;

import io.umqtt.core.MqttClient;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mutual TLS configured through a Spring Boot SSL bundle, against a broker that demands a
 * client certificate; a reloaded bundle reconnects the client with the new material.
 */
@MqttBrokerTest(tls = true, requireClientCertificate = true)
class UmqttSslBundleIntegrationTests {

	private ApplicationContextRunner runner(MqttBroker broker) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withPropertyValues(
					"spring.ssl.bundle.pem.mqtt.truststore.certificate=file:" + broker.tlsMaterial().caCertificate(),
					"spring.ssl.bundle.pem.mqtt.keystore.certificate=file:" + broker.tlsMaterial().clientCertificate(),
					"spring.ssl.bundle.pem.mqtt.keystore.private-key=file:" + broker.tlsMaterial().clientKey(),
					"umqtt.server=127.0.0.1", "umqtt.port=" + broker.tlsPort(), "umqtt.ssl.bundle=mqtt",
					"umqtt.connect-timeout=5s");
	}

	@Test
	void connectsWithTheBundlesClientCertificateAndPublishes(MqttBroker broker) {
		runner(broker).run((context) -> {
			MqttClient client = context.getBean(MqttClient.class);
			await().atMost(Duration.ofSeconds(15)).until(() -> client.getMqttsta() == 0);
			assertThat(client.publish("tls/bundle", "over mutual TLS", false, 1)).isTrue();
		});
	}

	@Test
	void aReloadedBundleReconnectsWithTheNewMaterial(MqttBroker broker) {
		runner(broker).run((context) -> {
			MqttClient client = context.getBean(MqttClient.class);
			await().atMost(Duration.ofSeconds(15)).until(() -> client.getMqttsta() == 0);
			SslBundleRegistry registry = context.getBean(SslBundleRegistry.class);
			registry.updateBundle("mqtt", context.getBean(SslBundles.class).getBundle("mqtt"));
			await().atMost(Duration.ofSeconds(15))
				.until(() -> client.reconnectCount() == 1 && client.getMqttsta() == 0);
			assertThat(client.publish("tls/bundle", "after reload", false, 1)).isTrue();
		});
	}

	@Test
	void withoutTheBundleTheBrokerRefusesTheConnection(MqttBroker broker) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class))
			.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=" + broker.tlsPort(), "umqtt.ssl.enabled=true",
					"umqtt.fail-fast=true", "umqtt.connect-timeout=3s")
			.run((context) -> assertThat(context).hasFailed());
	}

}
