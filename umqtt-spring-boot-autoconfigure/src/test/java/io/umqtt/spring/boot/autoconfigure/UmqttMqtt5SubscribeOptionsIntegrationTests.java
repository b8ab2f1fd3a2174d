package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @MqttSubscribe(noLocal, retainAsPublished, retainHandling)} against Mosquitto
 * 2.0 on MQTT 5, and refused at start-up on 3.1.1.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class UmqttMqtt5SubscribeOptionsIntegrationTests {

	static final List<String> received = new CopyOnWriteArrayList<>();

	private ApplicationContextRunner runner(MqttBroker broker, int version) {
		received.clear();
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class))
			.withUserConfiguration(Options.class)
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(),
					"umqtt.version=" + version, "umqtt.client-id=s5o-app-" + System.nanoTime());
	}

	@Test
	void noLocalWithholdsTheTemplatesOwnPublicationsAndRetainOptionsAreKept(MqttBroker broker) {
		MqttClient retainer = MqttClient.builder("s5o-retainer-" + System.nanoTime(), broker.host())
			.port(broker.port())
			.version(5)
			.build();
		retainer.connect();
		try {
			assertThat(retainer.publish("s5o/retained", "kept", true, 1)).isTrue();
			runner(broker, 5).run((context) -> {
				MqttClient app = context.getBean(MqttClient.class);
				await().atMost(Duration.ofSeconds(15))
					.until(() -> app.subscriptions()
						.keySet()
						.containsAll(List.of("s5o/local", "s5o/all", "s5o/retained", "s5o/plain")));
				MqttTemplate template = context.getBean(MqttTemplate.class);
				template.convertAndSend("s5o/local", "own local");
				template.convertAndSend("s5o/all", "own all");
				assertThat(retainer.publish("s5o/local", "from another client", false, 1)).isTrue();
				await().atMost(Duration.ofSeconds(15))
					.until(() -> received.containsAll(List.of("all:own all", "local:from another client")));
				assertThat(received).as("no local: the template's own message is not sent back")
					.doesNotContain("local:own local")
					.contains("retained:kept retain=true");
				// a retained message published while subscribed: the broker keeps its
				// RETAIN
				// flag only for the subscription with retainAsPublished [MQTT-3.3.1-12,
				// -13]
				assertThat(retainer.publish("s5o/retained", "live", true, 1)).isTrue();
				assertThat(retainer.publish("s5o/plain", "live", true, 1)).isTrue();
				await().atMost(Duration.ofSeconds(15))
					.until(() -> received.containsAll(List.of("retained:live retain=true", "plain:live retain=false")));
			});
		}
		finally {
			retainer.publish("s5o/retained", new byte[0], true, 1);
			retainer.publish("s5o/plain", new byte[0], true, 1);
			retainer.disconnect();
		}
	}

	@Test
	void optionsOnMqtt311FailTheStartUpNamingTheMethod(MqttBroker broker) {
		runner(broker, 4).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("Options.local(java.lang.String)")
				.hasMessageContaining("noLocal=true")
				.hasMessageContaining("client 'default' is on MQTT 4")
				.hasMessageContaining("set umqtt.version: 5");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Options {

		@MqttSubscribe(topics = "s5o/local", qos = 1, noLocal = true)
		void local(String payload) {
			received.add("local:" + payload);
		}

		@MqttSubscribe(topics = "s5o/all", qos = 1)
		void all(String payload) {
			received.add("all:" + payload);
		}

		@MqttSubscribe(topics = "s5o/retained", qos = 1, retainAsPublished = true, retainHandling = 1)
		void retained(String payload,
				@org.springframework.messaging.handler.annotation.Header(io.umqtt.spring.MqttHeaders.RETAINED) boolean retained) {
			received.add("retained:" + payload + " retain=" + retained);
		}

		@MqttSubscribe(topics = "s5o/plain", qos = 1)
		void plain(String payload,
				@org.springframework.messaging.handler.annotation.Header(io.umqtt.spring.MqttHeaders.RETAINED) boolean retained) {
			received.add("plain:" + payload + " retain=" + retained);
		}

	}

}
