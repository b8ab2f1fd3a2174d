package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.listener.ListenerFailures;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import io.umqtt.test.TcpProxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener paused while its broker is unreachable, and resumed while the broker is
 * down, on a persistent session: every message published after the resume is handled
 * exactly once, none declined. Here the pause comes before the client noticed the broker
 * was gone, so its UNSUBSCRIBE gets no UNSUBACK in time and stays queued in the client,
 * which sends it again on the next connection and routes the filter to the paused
 * listener until its UNSUBACK; the resume subscribes again meanwhile. (A pause after the
 * client noticed takes effect without an UNSUBSCRIBE;
 * {@link UmqttListenerPauseIntegrationTests}.)
 */
@MqttBrokerTest
class UmqttListenerPauseWhileBrokerDownIntegrationTests {

	private static final int MESSAGES = 50;

	@ParameterizedTest(name = "concurrent={0}")
	@ValueSource(booleans = { true, false })
	void aListenerPausedAsTheBrokerGoesDownAndResumedBeforeItIsBackHandlesEveryLaterMessageOnce(boolean concurrent,
			MqttBroker broker) throws Exception {
		String clientId = "pause-down-" + concurrent + "-" + System.nanoTime();
		String topic = clientId + "/t";
		Down.handled.clear();
		try (TcpProxy proxy = TcpProxy.to(broker)) {
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(TaskExecutionAutoConfiguration.class, UmqttAutoConfiguration.class))
				.withUserConfiguration(Down.class)
				.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=" + proxy.port(),
						"umqtt.client-id=" + clientId, "umqtt.clean-session=false", "umqtt.publish-timeout=1s",
						"umqtt.shutdown-timeout=1s", "umqtt.listener.concurrent=" + concurrent,
						"down.prefix=" + clientId)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					MqttClient client = context.getBean(MqttClient.class);
					MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey(topic));
					// the way to the broker dies under the client, which has not noticed
					// yet, and the broker stops
					proxy.blackHole();
					registry.pause("down");
					broker.stop();
					proxy.refuse();
					await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() != 0);
					registry.resume("down");
					broker.start();
					// published after the resume while the client is still away: the
					// broker keeps them for its session and sends them right after the
					// CONNACK
					publish(broker, topic, "queued-", MESSAGES);
					proxy.heal();
					await().atMost(Duration.ofSeconds(30))
						.until(() -> client.getMqttsta() == 0 && client.subscriptions().containsKey(topic));
					publish(broker, topic, "live-", MESSAGES);
					await().atMost(Duration.ofSeconds(20))
						.pollInterval(Duration.ofMillis(200))
						.untilAsserted(() -> assertThat(Down.handled)
							.as("messages handled (declined so far: %d)",
									registry.getFailures().count(ListenerFailures.Kind.NOT_DRAINED))
							.hasSize(2 * MESSAGES));
					assertThat(registry.getFailures().count(ListenerFailures.Kind.NOT_DRAINED)).as("declined").isZero();
					// a new connection: the broker sends again whatever was left
					// unacknowledged
					proxy.cutAll();
					await().atMost(Duration.ofSeconds(30)).until(() -> client.getMqttsta() == 0);
					await().during(Duration.ofSeconds(1))
						.atMost(Duration.ofSeconds(5))
						.untilAsserted(() -> assertThat(Down.handled).allSatisfy((payload,
								count) -> assertThat(count).as("times '%s' was handled", payload).hasValue(1)));
				});
		}
	}

	private static void publish(MqttBroker broker, String topic, String prefix, int count) {
		MqttClient publisher = MqttClient.builder("pause-down-pub-" + System.nanoTime(), broker.host())
			.port(broker.port())
			.maxInflight(count)
			.build();
		publisher.connect();
		try {
			for (int i = 0; i < count; i++) {
				assertThat(publisher.publish(topic, prefix + i, false, 1)).isTrue();
			}
		}
		finally {
			publisher.disconnect();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Down {

		static final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

		@Bean
		MqttClientCustomizer fastReconnect() {
			return (name, builder) -> builder.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(300));
		}

		@MqttSubscribe(topics = "${down.prefix}/t", qos = 1, id = "down")
		void on(String payload) {
			handled.computeIfAbsent(payload, (key) -> new AtomicInteger()).incrementAndGet();
		}

	}

}
