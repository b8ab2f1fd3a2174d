package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.listener.ListenerFailures;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;
import io.umqtt.spring.listener.MqttListenerErrorHandler;
import io.umqtt.spring.listener.MqttListenerExecutionException;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whatever a listener or its error handler throws, delivery goes on for that subscription
 * and the others; a failed dead-letter publish leaves the message unacknowledged, so the
 * broker delivers it again; a stop cuts a retry back-off short without dead-lettering the
 * message.
 */
@MqttBrokerTest
class UmqttListenerFailureIntegrationTests {

	private ApplicationContextRunner runner(MqttBroker broker) {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TaskExecutionAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(),
					"umqtt.publish-timeout=30s");
	}

	private static void awaitSubscribed(MqttClient client, String... filters) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> client.subscriptions().keySet().containsAll(List.of(filters)));
	}

	@Test
	void anErrorFromAConcurrentListenerLeavesDeliveryRunning(MqttBroker broker) {
		errorOnTheFirstMessageThenTheRestArrive(broker, true);
	}

	@Test
	void anErrorFromADispatchThreadListenerLeavesDeliveryRunning(MqttBroker broker) {
		errorOnTheFirstMessageThenTheRestArrive(broker, false);
	}

	private void errorOnTheFirstMessageThenTheRestArrive(MqttBroker broker, boolean concurrent) {
		runner(broker).withUserConfiguration(Throwing.class, RecordingErrorHandler.class)
			.withPropertyValues("umqtt.listener.concurrent=" + concurrent)
			.run((context) -> {
				Throwing listeners = context.getBean(Throwing.class);
				MqttClient client = context.getBean(MqttClient.class);
				awaitSubscribed(client, "error/t", "other/t");
				MqttTemplate template = context.getBean(MqttTemplate.class);
				for (int i = 1; i <= 50; i++) {
					template.publish("error/t", Integer.toString(i), 1, false).get(10, TimeUnit.SECONDS);
					template.publish("other/t", Integer.toString(i), 1, false).get(10, TimeUnit.SECONDS);
				}
				await().atMost(Duration.ofSeconds(20))
					.until(() -> listeners.same.size() == 49 && listeners.other.size() == 50);
				assertThat(listeners.same).startsWith(2, 3, 4).endsWith(50);
				assertThat(listeners.errors).singleElement()
					.isInstanceOf(MqttListenerExecutionException.class)
					.satisfies((ex) -> assertThat(ex.getCause()).isInstanceOf(AssertionError.class)
						.hasMessage("listener bug on 1"));
				assertThat(client.getMqttsta()).isZero();
			});
	}

	@Test
	void aThrowingErrorHandlerLeavesDeliveryRunningAndIsCounted(MqttBroker broker) {
		runner(broker).withUserConfiguration(Throwing.class, ThrowingErrorHandler.class).run((context) -> {
			Throwing listeners = context.getBean(Throwing.class);
			MqttClient client = context.getBean(MqttClient.class);
			awaitSubscribed(client, "error/t", "other/t");
			MqttTemplate template = context.getBean(MqttTemplate.class);
			// more failures than the client's outstanding-delivery slots would have held
			for (int i = 1; i <= 20; i++) {
				template.publish("error/t", Integer.toString(i), 1, false).get(10, TimeUnit.SECONDS);
			}
			template.publish("other/t", "after", 1, false).get(10, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> listeners.same.size() == 19 && listeners.other.size() == 1);
			assertThat(context.getBean(MqttListenerEndpointRegistry.class)
				.getFailures()
				.count(ListenerFailures.Kind.ERROR_HANDLER_FAILED)).isEqualTo(1);
		});
	}

	@Test
	void aFailedDeadLetterPublishLeavesTheMessageUnacknowledgedSoTheBrokerResendsIt(MqttBroker broker) {
		String clientId = "dlt-fail-" + System.nanoTime();
		// a valid topic whose dead-letter topic is over the 65,535-byte limit: that
		// publish fails
		String longTopic = "long/" + "x".repeat(65_535 - 5 - 2);
		AlwaysFailing.attempts.set(0);
		AlwaysFailing.errors.clear();
		ApplicationContextRunner persistent = runner(broker).withUserConfiguration(AlwaysFailing.class)
			.withPropertyValues("umqtt.client-id=" + clientId, "umqtt.clean-session=false", "umqtt.shutdown-timeout=1s",
					"umqtt.listener.dead-letter-topic=dlt/{topic}");
		persistent.run((context) -> {
			MqttClient client = context.getBean(MqttClient.class);
			awaitSubscribed(client, "long/#");
			context.getBean(MqttTemplate.class).publish(longTopic, "poison", 1, false).get(10, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(10)).until(() -> AlwaysFailing.errors.size() == 1);
			assertThat(AlwaysFailing.errors.get(0)).isInstanceOf(MqttListenerExecutionException.class)
				.hasMessageContaining("Dead-letter publish to 'dlt/long/xxx")
				.hasMessageContaining("not acknowledged");
			assertThat(AlwaysFailing.errors.get(0).getSuppressed()).singleElement()
				.isInstanceOf(IllegalStateException.class);
			assertThat(context.getBean(MqttListenerEndpointRegistry.class)
				.getFailures()
				.count(ListenerFailures.Kind.DEAD_LETTER_FAILED)).isEqualTo(1);
		});
		// not acknowledged: the persistent session gives it to the next connection again
		persistent
			.run((context) -> await().atMost(Duration.ofSeconds(20)).until(() -> AlwaysFailing.attempts.get() >= 2));
	}

	@Test
	void stoppingAListenerCutsItsRetryBackOffShortWithoutDeadLettering(MqttBroker broker) {
		List<String> deadLetters = new CopyOnWriteArrayList<>();
		MqttClient watcher = MqttClient.builder("backoff-watcher-" + System.nanoTime(), broker.host())
			.port(broker.port())
			.dispatchThread(true)
			.build();
		AlwaysFailing.attempts.set(0);
		AlwaysFailing.errors.clear();
		try {
			watcher.connect();
			watcher.subscribe("dlt/#", 1, (m) -> deadLetters.add(m.topic()));
			runner(broker).withUserConfiguration(AlwaysFailing.class)
				.withPropertyValues("umqtt.shutdown-timeout=1s", "umqtt.listener.max-attempts=3",
						"umqtt.listener.backoff=4s", "umqtt.listener.max-backoff=4s",
						"umqtt.listener.dead-letter-topic=dlt/{topic}")
				.run((context) -> {
					MqttClient client = context.getBean(MqttClient.class);
					awaitSubscribed(client, "long/#");
					context.getBean(MqttTemplate.class).publish("long/t", "poison", 1, false).get(10, TimeUnit.SECONDS);
					await().atMost(Duration.ofSeconds(10)).until(() -> AlwaysFailing.attempts.get() == 1);
					MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
					long start = System.nanoTime();
					registry.stopListener("always-failing");
					// the drain bound (1 s), not the back-off (4 s), ends it
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
					await().during(Duration.ofSeconds(6))
						.atMost(Duration.ofSeconds(8))
						.until(() -> AlwaysFailing.attempts.get() == 1 && deadLetters.isEmpty()
								&& AlwaysFailing.errors.isEmpty());
					assertThat(registry.getFailures().count(ListenerFailures.Kind.NOT_DRAINED)).isEqualTo(1);
				});
		}
		finally {
			watcher.disconnect();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Throwing {

		final List<Integer> same = new CopyOnWriteArrayList<>();

		final List<String> other = new CopyOnWriteArrayList<>();

		final List<Exception> errors = new CopyOnWriteArrayList<>();

		@MqttSubscribe(topics = "error/t", qos = 1)
		void on(String payload) {
			int n = Integer.parseInt(payload);
			if (n == 1) {
				throw new AssertionError("listener bug on 1");
			}
			this.same.add(n);
		}

		@MqttSubscribe(topics = "other/t", qos = 1)
		void other(String payload) {
			this.other.add(payload);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingErrorHandler {

		@Bean
		MqttListenerErrorHandler recordingErrorHandler(Throwing listeners) {
			return (listenerId, message, exception) -> listeners.errors.add(exception);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThrowingErrorHandler {

		@Bean
		MqttListenerErrorHandler throwingErrorHandler() {
			return (listenerId, message, exception) -> {
				throw new IllegalStateException("the error handler itself fails");
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AlwaysFailing {

		static final AtomicInteger attempts = new AtomicInteger();

		static final List<Exception> errors = new CopyOnWriteArrayList<>();

		@MqttSubscribe(topics = "long/#", qos = 1, id = "always-failing")
		void on(String payload) {
			attempts.incrementAndGet();
			throw new IllegalStateException("always");
		}

		@Bean
		MqttListenerErrorHandler recordingErrorHandler() {
			return (listenerId, message, exception) -> errors.add(exception);
		}

	}

}
