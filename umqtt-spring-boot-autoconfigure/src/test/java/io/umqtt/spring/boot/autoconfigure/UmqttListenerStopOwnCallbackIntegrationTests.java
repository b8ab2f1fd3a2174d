package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessageListener;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application that subscribes on the client bean itself, with its own message callback
 * ({@code setCallback}), beside an {@code @MqttSubscribe} listener of a clean session:
 * stopping the listeners (as the context's stop does, before the clients disconnect)
 * while messages flow on both topics leaves every message of the application's topic to
 * its callback, during the stop and after it.
 */
@MqttBrokerTest
class UmqttListenerStopOwnCallbackIntegrationTests {

	@ParameterizedTest(name = "concurrent={0}")
	@ValueSource(booleans = { true, false })
	void theApplicationsOwnCallbackGetsEveryMessageOfItsTopicWhileTheListenersStop(boolean concurrent,
			MqttBroker broker) throws Exception {
		String clientId = "stop-own-cb-" + concurrent + "-" + System.nanoTime();
		Listener.handled.set(0);
		Set<String> own = ConcurrentHashMap.newKeySet();
		AtomicLong ownPublished = new AtomicLong();
		AtomicBoolean publishing = new AtomicBoolean(true);
		MqttClient publisher = MqttClient.builder("stop-own-cb-pub-" + System.nanoTime(), broker.host())
			.port(broker.port())
			.build();
		// one message after another on each topic, each acknowledged by the broker,
		// before, during and after the stop
		Thread stream = new Thread(() -> {
			for (int i = 0; publishing.get(); i++) {
				publisher.publish(clientId + "/listener", "l" + i, false, 1);
				if (publisher.publish(clientId + "/own", "o" + i, false, 1)) {
					ownPublished.incrementAndGet();
				}
			}
		}, "stop-own-cb-publisher");
		publisher.connect();
		try {
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(TaskExecutionAutoConfiguration.class, UmqttAutoConfiguration.class))
				.withUserConfiguration(Listener.class)
				.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(),
						"umqtt.client-id=" + clientId, "umqtt.clean-session=true", "umqtt.shutdown-timeout=2s",
						"umqtt.listener.concurrent=" + concurrent, "own.prefix=" + clientId)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					MqttClient client = context.getBean(MqttClient.class);
					MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> client.subscriptions().containsKey(clientId + "/listener"));
					client.setCallback((MqttMessageListener) (message) -> own.add(message.payloadAsString()));
					client.subscribe(clientId + "/own", 1);
					stream.start();
					await().atMost(Duration.ofSeconds(20))
						.until(() -> Listener.handled.get() >= 20 && own.size() >= 20);
					registry.stop();
					assertThat(client.getMqttsta()).as("the client stays connected after the listeners' stop").isZero();
					long atTheStop = ownPublished.get();
					await().atMost(Duration.ofSeconds(20)).until(() -> ownPublished.get() > atTheStop + 20);
					publishing.set(false);
					stream.join(10_000);
					await().atMost(Duration.ofSeconds(20))
						.pollInterval(Duration.ofMillis(200))
						.untilAsserted(() -> assertThat(own.size())
							.as("messages of the application's own topic its callback got, of %d the broker acknowledged",
									ownPublished.get())
							.isEqualTo(ownPublished.intValue()));
				});
		}
		finally {
			publishing.set(false);
			stream.join(10_000);
			publisher.disconnect();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		static final AtomicInteger handled = new AtomicInteger();

		@MqttSubscribe(topics = "${own.prefix}/listener", qos = 1, id = "listener")
		void on(String payload) throws InterruptedException {
			// a slow downstream
			Thread.sleep(2);
			handled.incrementAndGet();
		}

	}

}
