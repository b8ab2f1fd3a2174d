package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application that subscribes on the client bean itself, with its own message callback
 * ({@code setCallback}), beside an {@code @MqttSubscribe} listener: pausing (and
 * resuming) that listener must not take the application's messages away from its
 * callback.
 */
@MqttBrokerTest
class UmqttListenerPauseOwnCallbackIntegrationTests {

	@Test
	void theApplicationsOwnCallbackStillGetsItsMessagesAfterAPauseAndResume(MqttBroker broker) throws Exception {
		String clientId = "pause-own-cb-" + System.nanoTime();
		Own.listener.clear();
		Set<String> own = ConcurrentHashMap.newKeySet();
		MqttClient publisher = MqttClient.builder("pause-own-cb-pub-" + System.nanoTime(), broker.host())
			.port(broker.port())
			.build();
		publisher.connect();
		try {
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(TaskExecutionAutoConfiguration.class, UmqttAutoConfiguration.class))
				.withUserConfiguration(Own.class)
				.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(),
						"umqtt.client-id=" + clientId, "umqtt.clean-session=false", "umqtt.shutdown-timeout=1s",
						"own.prefix=" + clientId)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					MqttClient client = context.getBean(MqttClient.class);
					MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> client.subscriptions().containsKey(clientId + "/listener"));
					// the application's own subscription, its messages to its own
					// callback
					client.setCallback(
							(io.umqtt.core.MqttMessageListener) (message) -> own.add(message.payloadAsString()));
					client.subscribe(clientId + "/own", 1);
					assertThat(publisher.publish(clientId + "/own", "before", false, 1)).isTrue();
					await().atMost(Duration.ofSeconds(10)).until(() -> own.contains("before"));
					registry.pause("listener");
					registry.resume("listener");
					for (int i = 0; i < 5; i++) {
						assertThat(publisher.publish(clientId + "/own", "a" + i, false, 1)).isTrue();
					}
					assertThat(publisher.publish(clientId + "/listener", "l", false, 1)).isTrue();
					await().atMost(Duration.ofSeconds(10)).until(() -> Own.listener.contains("l"));
					await().atMost(Duration.ofSeconds(10))
						.pollInterval(Duration.ofMillis(200))
						.untilAsserted(() -> assertThat(own)
							.as("the application's callback after a pause and resume of another listener")
							.hasSize(6));
				});
		}
		finally {
			publisher.disconnect();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Own {

		static final Set<String> listener = ConcurrentHashMap.newKeySet();

		@MqttSubscribe(topics = "${own.prefix}/listener", qos = 1, id = "listener")
		void onListener(String payload) {
			listener.add(payload);
		}

	}

}
