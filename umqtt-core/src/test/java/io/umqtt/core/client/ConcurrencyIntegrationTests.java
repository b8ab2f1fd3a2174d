package io.umqtt.core.client;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many threads, slow consumers, publishing from callbacks: nothing lost, nothing stuck.
 */
@MqttBrokerTest
class ConcurrencyIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@Test
	void eightThreadsPublish100000Qos1MessagesAndEveryOneArrives(MqttBroker broker) throws Exception {
		int threads = 8;
		int perThread = 12_500;
		BitSet seen = new BitSet(threads * perThread);
		AtomicInteger duplicates = new AtomicInteger();
		MqttClient subscriber = this.clients.make(broker, "many-sub",
				(b) -> b.dispatchThread(true).inboundQueueCapacity(5_000));
		subscriber.connect();
		subscriber.subscribe("many/#", 1, (MqttMessage message) -> {
			int n = ByteBuffer.wrap(message.payload()).getInt();
			synchronized (seen) {
				if (seen.get(n)) {
					duplicates.incrementAndGet();
				}
				seen.set(n);
			}
		});
		MqttClient publisher = this.clients.make(broker, "many-pub",
				(b) -> b.maxInflight(1_000).publishTimeout(Duration.ofSeconds(60)));
		publisher.connect();
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> workers = new ArrayList<>();
		AtomicInteger failed = new AtomicInteger();
		for (int t = 0; t < threads; t++) {
			int base = t * perThread;
			Thread worker = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				List<CompletableFuture<Void>> futures = new ArrayList<>(perThread);
				for (int i = 0; i < perThread; i++) {
					byte[] payload = ByteBuffer.allocate(4).putInt(base + i).array();
					futures.add(publisher.publishAsync("many/" + (base % 7), payload, false, 1));
				}
				for (CompletableFuture<Void> future : futures) {
					try {
						future.get(60, java.util.concurrent.TimeUnit.SECONDS);
					}
					catch (Exception ex) {
						failed.incrementAndGet();
					}
				}
			}, "publisher-" + t);
			workers.add(worker);
			worker.start();
		}
		start.countDown();
		for (Thread worker : workers) {
			worker.join(120_000);
			assertThat(worker.isAlive()).as("publisher thread still running").isFalse();
		}
		assertThat(failed).hasValue(0);
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			synchronized (seen) {
				return seen.cardinality() == threads * perThread;
			}
		});
		assertThat(duplicates).as("QoS 1 redeliveries without a reconnect").hasValue(0);
	}

	@Test
	void blockingPublishFromInsideACallbackNeverDeadlocks(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "echo", (b) -> b.dispatchThread(true).inboundQueueCapacity(2));
		Received echoes = new Received();
		client.connect();
		client.subscribe("echo/out", 1, echoes);
		// QoS 2 publish from the delivering thread while the inbound queue is full
		client.subscribe("echo/in", 1,
				(MqttMessage message) -> assertThat(client.publish("echo/out", message.payload(), false, 2)).isTrue());
		MqttClient feeder = this.clients.make(broker, "feeder");
		feeder.connect();
		for (int i = 0; i < 200; i++) {
			feeder.publishAsync("echo/in", ("e" + i).getBytes(), false, 1);
		}
		echoes.awaitCount(200, 60);
		assertThat(echoes.payloads()).hasSize(200);
	}

	@Test
	void aSlowConsumerPausesReadingInsteadOfBufferingWithoutBound(MqttBroker broker) {
		MqttClient slow = this.clients.make(broker, "slow", (b) -> b.inboundQueueCapacity(50).keepalive(2));
		AtomicInteger delivered = new AtomicInteger();
		slow.setCallback((topic, msg) -> delivered.incrementAndGet());
		slow.connect();
		slow.subscribe("slow/t", 1);
		MqttClient fast = this.clients.make(broker, "fast");
		fast.connect();
		// QoS 1: a broker may drop QoS 0 for a subscriber that does not read; these must
		// all arrive
		for (int i = 0; i < 2_000; i++) {
			fast.publishAsync("slow/t", new byte[100], false, 1);
		}
		assertThat(fast.publish("slow/t", "last", false, 1)).isTrue();
		// nobody reads for a while: the queue stays bounded and the connection stays up
		// past keep-alive
		await().during(Duration.ofSeconds(4))
			.atMost(Duration.ofSeconds(6))
			.until(() -> slow.pendingMessages() <= 50 + 1_000 && slow.getMqttsta() == 0);
		// then the application reads everything
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			slow.checkMsg();
			return delivered.get() == 2_001;
		});
	}

	@Test
	void aThrowingCallbackIsLoggedAndTheMessageAcknowledged(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "thrower", (b) -> b.dispatchThread(true));
		AtomicInteger calls = new AtomicInteger();
		client.setCallback((topic, msg) -> {
			calls.incrementAndGet();
			throw new IllegalStateException("listener bug");
		});
		client.connect();
		client.subscribe("throw/t", 2);
		for (int i = 0; i < 5; i++) {
			client.publish("throw/t", "x" + i, false, 2);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 5);
		assertThat(client.getMqttsta()).isZero();
		assertThat(client.publish("throw/t", "still connected", false, 1)).isTrue();
	}

	@Test
	void noUmqttThreadOutlivesDisconnectByMoreThanASecond(MqttBroker broker) {
		for (int i = 0; i < 3; i++) {
			MqttClient client = this.clients.make(broker, "threads", (b) -> b.dispatchThread(true).keepalive(5));
			client.errorRegisterCb((e) -> {
			});
			client.connect();
			client.subscribe("threads/t", 1);
			client.publish("threads/t", "x", false, 1);
			client.disconnect();
		}
		await().atMost(Duration.ofMillis(1_500)).until(() -> umqttThreads().isEmpty());
	}

	private static Set<String> umqttThreads() {
		Set<String> names = ConcurrentHashMap.newKeySet();
		Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith("umqtt-"))
			.forEach(names::add);
		return names;
	}

}
