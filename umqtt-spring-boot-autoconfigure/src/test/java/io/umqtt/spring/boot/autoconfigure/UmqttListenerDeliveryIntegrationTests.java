package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How listener methods receive: concurrently across subscriptions and in order within
 * one, slowly without loss, through failures with retry and a dead-letter topic, in a
 * shared group, and across a broker restart.
 */
@MqttBrokerTest
class UmqttListenerDeliveryIntegrationTests {

	private ApplicationContextRunner runner(MqttBroker broker) {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TaskExecutionAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(), "umqtt.keepalive=2",
					"umqtt.max-inflight=1000", "umqtt.publish-timeout=30s");
	}

	private static void awaitSubscribed(MqttClient client, String... filters) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> client.subscriptions().keySet().containsAll(List.of(filters)));
	}

	@Test
	void subscriptionsRunConcurrentlyAndEachStaysInOrderOver10000Messages(MqttBroker broker) {
		runner(broker).withUserConfiguration(OrderAndConcurrency.class).run((context) -> {
			OrderAndConcurrency listeners = context.getBean(OrderAndConcurrency.class);
			MqttClient client = context.getBean(MqttClient.class);
			awaitSubscribed(client, "blocked/t", "free/t", "ordered/t");
			MqttTemplate template = context.getBean(MqttTemplate.class);
			template.convertAndSend("blocked/t", "hold");
			assertThat(listeners.blockedEntered.await(10, TimeUnit.SECONDS)).isTrue();
			// while one subscription's listener is blocked, another one's keeps receiving
			template.convertAndSend("free/t", "through");
			await().atMost(Duration.ofSeconds(10)).until(() -> listeners.free.contains("through"));
			listeners.release.countDown();

			List<CompletableFuture<Void>> sent = new ArrayList<>();
			for (int i = 0; i < 10_000; i++) {
				sent.add(template.publish("ordered/t", Integer.toString(i), 1, false));
			}
			CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(60)).until(() -> listeners.ordered.size() == 10_000);
			for (int i = 0; i < 10_000; i++) {
				assertThat(listeners.ordered.get(i)).isEqualTo(i);
			}
		});
	}

	@Test
	void aSlowListenerSlowsReadingWithoutLossOrDisconnect(MqttBroker broker) {
		runner(broker).withUserConfiguration(Slow.class).run((context) -> {
			Slow slow = context.getBean(Slow.class);
			MqttClient client = context.getBean(MqttClient.class);
			awaitSubscribed(client, "slow/t");
			MqttClient publisher = MqttClient.builder("slow-pub-" + System.nanoTime(), broker.host())
				.port(broker.port())
				.maxInflight(500)
				.build();
			try {
				publisher.connect();
				for (int i = 0; i < 3_000; i++) {
					publisher.publishAsync("slow/t", Integer.toString(i).getBytes(), false, 1);
				}
				// the listener is blocked: nothing is dropped and the connection outlives
				// keep-alive
				await().during(Duration.ofSeconds(3))
					.atMost(Duration.ofSeconds(5))
					.until(() -> client.getMqttsta() == 0);
				assertThat(client.pendingMessages()).isLessThanOrEqualTo(1_000 + 1_000);
				slow.release.countDown();
				await().atMost(Duration.ofSeconds(60)).until(() -> slow.received.size() == 3_000);
				assertThat(new java.util.HashSet<>(slow.received)).hasSize(3_000);
			}
			finally {
				publisher.disconnect();
			}
		});
	}

	@Test
	void failingListenersAreRetriedThenDeadLettered(MqttBroker broker) {
		List<String> deadLetters = new CopyOnWriteArrayList<>();
		MqttClient watcher = MqttClient.builder("dlt-watcher-" + System.nanoTime(), broker.host())
			.port(broker.port())
			.dispatchThread(true)
			.build();
		try {
			watcher.connect();
			watcher.subscribe("dlt/#", 1, (m) -> deadLetters.add(m.topic() + "=" + m.payloadAsString()));
			runner(broker).withUserConfiguration(Failing.class)
				.withPropertyValues("umqtt.listener.max-attempts=3", "umqtt.listener.backoff=10ms",
						"umqtt.listener.dead-letter-topic=dlt/{topic}")
				.run((context) -> {
					Failing failing = context.getBean(Failing.class);
					MqttClient client = context.getBean(MqttClient.class);
					awaitSubscribed(client, "flaky/t", "broken/t");
					MqttTemplate template = context.getBean(MqttTemplate.class);
					template.publish("flaky/t", "eventually", 1, false).get(10, TimeUnit.SECONDS);
					template.publish("broken/t", "never", 1, false).get(10, TimeUnit.SECONDS);
					await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.contains("dlt/broken/t=never"));
					assertThat(failing.flakyAttempts.get()).isEqualTo(3);
					assertThat(failing.handled).containsExactly("eventually");
					assertThat(failing.brokenAttempts.get()).isEqualTo(3);
					assertThat(deadLetters).doesNotContain("dlt/flaky/t=eventually");
					assertThat(client.getMqttsta()).isZero();
				});
		}
		finally {
			watcher.disconnect();
		}
	}

	@Test
	void aSharedGroupAcrossTwoApplicationsHandlesEachMessageOnce(MqttBroker broker) {
		org.junit.jupiter.api.Assumptions.assumeTrue(broker.kind() != BrokerKind.EMBEDDED,
				"shared subscriptions ($share) need Mosquitto; Moquette 0.17 does not route them");
		Map<String, String> handledBy = new ConcurrentHashMap<>();
		AtomicInteger duplicates = new AtomicInteger();
		Shared.sink = (payload, app) -> {
			if (handledBy.putIfAbsent(payload, app) != null) {
				duplicates.incrementAndGet();
			}
		};
		runner(broker).withUserConfiguration(Shared.class).withPropertyValues("app.name=one").run((one) -> {
			runner(broker).withUserConfiguration(Shared.class).withPropertyValues("app.name=two").run((two) -> {
				awaitSubscribed(one.getBean(MqttClient.class), "$share/workers/jobs/+");
				awaitSubscribed(two.getBean(MqttClient.class), "$share/workers/jobs/+");
				MqttTemplate template = one.getBean(MqttTemplate.class);
				for (int i = 0; i < 200; i++) {
					template.publish("jobs/" + i, "job-" + i, 1, false).get(10, TimeUnit.SECONDS);
				}
				await().atMost(Duration.ofSeconds(20)).until(() -> handledBy.size() == 200);
				assertThat(duplicates).hasValue(0);
				assertThat(handledBy.values()).contains("one", "two");
			});
		});
	}

	@Test
	void deliveryContinuesAfterABrokerRestart(MqttBroker broker) {
		runner(broker).withUserConfiguration(Slow.class).run((context) -> {
			Slow slow = context.getBean(Slow.class);
			slow.release.countDown();
			MqttClient client = context.getBean(MqttClient.class);
			awaitSubscribed(client, "slow/t");
			MqttTemplate template = context.getBean(MqttTemplate.class);
			template.publish("slow/t", "before", 1, false).get(10, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(10)).until(() -> slow.received.contains("before"));
			broker.stop();
			broker.start();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> client.getMqttsta() == 0 && client.subscriptions().containsKey("slow/t"));
			template.publish("slow/t", "after", 1, false).get(10, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(10)).until(() -> slow.received.contains("after"));
		});
	}

	@Test
	void listenersOfAClientThatConnectsLateAreSubscribedWhenItConnects(MqttBroker broker) {
		broker.stop();
		runner(broker).withUserConfiguration(MultiTopic.class).run((context) -> {
			MqttClient client = context.getBean(MqttClient.class);
			assertThat(client.getMqttsta()).isNotZero();
			broker.start();
			awaitSubscribed(client, "multi/a", "multi/b");
			MqttTemplate template = context.getBean(MqttTemplate.class);
			template.publish("multi/a", "to a", 1, false).get(10, TimeUnit.SECONDS);
			template.publish("multi/b", "to b", 1, false).get(10, TimeUnit.SECONDS);
			MultiTopic listener = context.getBean(MultiTopic.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> listener.received.size() == 2);
			assertThat(listener.received).containsExactlyInAnyOrder("multi/a=to a", "multi/b=to b");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class MultiTopic {

		final List<String> received = new CopyOnWriteArrayList<>();

		@MqttSubscribe(topics = { "multi/a", "multi/b" }, qos = 1)
		void on(@Header(io.umqtt.spring.MqttHeaders.TOPIC) String topic, String payload) {
			this.received.add(topic + "=" + payload);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderAndConcurrency {

		final CountDownLatch blockedEntered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final List<String> free = new CopyOnWriteArrayList<>();

		final List<Integer> ordered = new CopyOnWriteArrayList<>();

		@MqttSubscribe("blocked/t")
		void blocked(String payload) throws InterruptedException {
			this.blockedEntered.countDown();
			this.release.await(30, TimeUnit.SECONDS);
		}

		@MqttSubscribe("free/t")
		void free(String payload) {
			this.free.add(payload);
		}

		@MqttSubscribe(topics = "ordered/t", qos = 1)
		void ordered(String payload) {
			this.ordered.add(Integer.parseInt(payload));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Slow {

		final CountDownLatch release = new CountDownLatch(1);

		final List<String> received = new CopyOnWriteArrayList<>();

		@MqttSubscribe(topics = "slow/t", qos = 1)
		void slow(String payload) throws InterruptedException {
			this.release.await(60, TimeUnit.SECONDS);
			this.received.add(payload);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Failing {

		final AtomicInteger flakyAttempts = new AtomicInteger();

		final AtomicInteger brokenAttempts = new AtomicInteger();

		final List<String> handled = new CopyOnWriteArrayList<>();

		@MqttSubscribe(topics = "flaky/t", qos = 1)
		void flaky(String payload) {
			if (this.flakyAttempts.incrementAndGet() < 3) {
				throw new IllegalStateException("not yet");
			}
			this.handled.add(payload);
		}

		@MqttSubscribe(topics = "broken/t", qos = 1)
		void broken(String payload) {
			this.brokenAttempts.incrementAndGet();
			throw new IllegalStateException("always");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Shared {

		static volatile java.util.function.BiConsumer<String, String> sink;

		private final String app;

		Shared(org.springframework.core.env.Environment environment) {
			this.app = environment.getProperty("app.name");
		}

		@MqttSubscribe(topics = "jobs/{n}", group = "workers", qos = 1)
		void job(String payload) {
			sink.accept(payload, this.app);
		}

	}

}
