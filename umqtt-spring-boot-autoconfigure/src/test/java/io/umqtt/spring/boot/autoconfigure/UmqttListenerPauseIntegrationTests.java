package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import io.umqtt.test.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pausing or stopping a listener while its client is disconnected takes effect: from then
 * on nothing reaches the listener, its subscription is unsubscribed as soon as the client
 * is connected again, and resuming subscribes once.
 */
@MqttBrokerTest
class UmqttListenerPauseIntegrationTests {

	private static final String TOPIC = "pause/t";

	private static final String MARKER = "pause/marker";

	private MqttClient publisher;

	private TcpProxy proxy;

	@BeforeEach
	void connect(MqttBroker broker) {
		this.proxy = TcpProxy.to(broker);
		this.publisher = MqttClient.builder("pause-pub-" + System.nanoTime(), broker.host())
			.port(broker.port())
			.build();
		this.publisher.connect();
		Paused.received.clear();
	}

	@AfterEach
	void disconnect() {
		this.publisher.disconnect();
		this.proxy.close();
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TaskExecutionAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withUserConfiguration(Paused.class)
			.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=" + this.proxy.port(),
					"umqtt.shutdown-timeout=2s");
	}

	@Test
	void aListenerPausedWhileDisconnectedStaysUnsubscribedAfterTheReconnectAndResumesOnce() {
		runner().run((context) -> {
			MqttClient client = context.getBean(MqttClient.class);
			MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey(TOPIC));
			this.proxy.refuse();
			await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() != 0);
			registry.pause("paused");
			assertThat(registry.isListenerRunning("paused")).isFalse();
			this.proxy.heal();
			await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() == 0);
			awaitRenewedSubscriptions();
			// unsubscribed once connected again
			await().atMost(Duration.ofSeconds(10)).until(() -> !client.subscriptions().containsKey(TOPIC));
			this.publisher.publish(TOPIC, "while-paused", false, 1);
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(Paused.received::isEmpty);
			registry.resume("paused");
			await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey(TOPIC));
			this.publisher.publish(TOPIC, "resumed", false, 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> !Paused.received.isEmpty());
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(3))
				.until(() -> Paused.received.equals(List.of("resumed")));
		});
	}

	@Test
	void aListenerPausedAndResumedWhileDisconnectedIsSubscribedOnceAfterTheReconnect() {
		runner().run((context) -> {
			MqttClient client = context.getBean(MqttClient.class);
			MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey(TOPIC));
			this.proxy.refuse();
			await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() != 0);
			registry.pause("paused");
			registry.resume("paused");
			this.proxy.heal();
			await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() == 0);
			await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey(TOPIC));
			this.publisher.publish(TOPIC, "once", false, 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> !Paused.received.isEmpty());
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(3))
				.until(() -> Paused.received.equals(List.of("once")));
		});
	}

	@Test
	void aListenerStoppedWhileDisconnectedStaysUnsubscribedAfterTheReconnect() {
		runner().run((context) -> {
			MqttClient client = context.getBean(MqttClient.class);
			MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey(TOPIC));
			this.proxy.refuse();
			await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() != 0);
			registry.stopListener("paused");
			this.proxy.heal();
			await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() == 0);
			awaitRenewedSubscriptions();
			this.publisher.publish(TOPIC, "while-stopped", false, 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> !client.subscriptions().containsKey(TOPIC));
			this.publisher.publish(TOPIC, "while-stopped, unsubscribed", false, 1);
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(Paused.received::isEmpty);
		});
	}

	/**
	 * Waits until the broker has the subscriptions the client renewed after reconnecting:
	 * the marker's renewal goes out in the same write as the listener's would, right
	 * after the CONNACK.
	 */
	private void awaitRenewedSubscriptions() {
		Paused.markers.clear();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
			this.publisher.publish(MARKER, "m", false, 0);
			return !Paused.markers.isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Paused {

		static final List<String> received = new CopyOnWriteArrayList<>();

		static final List<String> markers = new CopyOnWriteArrayList<>();

		@MqttSubscribe(topics = MARKER, id = "marker")
		void marker(String payload) {
			markers.add(payload);
		}

		@Bean
		MqttClientCustomizer fastReconnect() {
			return (name, builder) -> builder.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(300));
		}

		@MqttSubscribe(topics = TOPIC, qos = 1, id = "paused")
		void on(String payload) {
			received.add(payload);
		}

	}

}
