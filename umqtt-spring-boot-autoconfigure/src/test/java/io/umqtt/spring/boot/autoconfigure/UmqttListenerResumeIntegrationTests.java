package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A persistent session resumed at start-up: the QoS 1 messages the broker queued while
 * the application was down arrive right after the CONNACK, and each reaches its
 * {@code @MqttSubscribe} method in that same connection, so that none is left
 * unacknowledged at the broker.
 */
@MqttBrokerTest
class UmqttListenerResumeIntegrationTests {

	private static final int QUEUED = 50;

	@ParameterizedTest(name = "fail-fast={0}, reconn={1}")
	@CsvSource({ "true, true", "false, true", "true, false", "false, false" })
	void messagesQueuedWhileTheApplicationWasDownAllReachTheirListenerOnStartUp(boolean failFast, boolean reconn,
			MqttBroker broker) throws Exception {
		String clientId = "resume-" + failFast + "-" + reconn + "-" + System.nanoTime();
		String topic = "resume/" + clientId;
		// the session and its subscription exist at the broker; the application is down
		MqttClient earlier = MqttClient.builder(clientId, broker.host()).port(broker.port()).build();
		earlier.connect(false);
		earlier.subscribe(topic, 1);
		earlier.disconnect();
		MqttClient publisher = MqttClient.builder("resume-pub-" + System.nanoTime(), broker.host())
			.port(broker.port())
			.build();
		publisher.connect();
		for (int i = 0; i < QUEUED; i++) {
			assertThat(publisher.publish(topic, "m" + i, false, 1)).isTrue();
		}
		publisher.disconnect();
		Set<String> handled = ConcurrentHashMap.newKeySet();
		Resumed.sink = handled::add;
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TaskExecutionAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withUserConfiguration(Resumed.class)
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(),
					"umqtt.client-id=" + clientId, "umqtt.clean-session=false", "umqtt.fail-fast=" + failFast,
					"umqtt.reconn=" + reconn, "resume.topic=" + topic)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MqttClient client = context.getBean(MqttClient.class);
				await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(handled).hasSize(QUEUED));
				assertThat(client.unhandledMessages()).as("messages that found no listener").isZero();
			});
		// broker-side: the session holds nothing more for the next connection
		List<String> redelivered = new CopyOnWriteArrayList<>();
		MqttClient later = MqttClient.builder(clientId, broker.host()).port(broker.port()).dispatchThread(true).build();
		later.setCallback((io.umqtt.core.MqttMessageListener) (message) -> redelivered.add(message.payloadAsString()));
		try {
			later.connect(false);
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(redelivered::isEmpty);
		}
		finally {
			later.disconnect();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Resumed {

		static volatile java.util.function.Consumer<String> sink;

		@MqttSubscribe(topics = "${resume.topic}", qos = 1, id = "resumed")
		void on(String payload) {
			sink.accept(payload);
		}

	}

}
