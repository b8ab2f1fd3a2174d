package io.umqtt.core.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.umqtt.core.AsyncMqttMessageListener;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listeners that publish QoS 1 and wait for the PUBACK while the inbound queue is full:
 * the acknowledgements are read, and the queue stays bounded.
 */
@MqttBrokerTest
class InboundBackpressureIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@Test
	void aListenerBlockedInPublishOnTheDispatchThreadKeepsTheQueueBounded(MqttBroker broker) throws Exception {
		int capacity = 10;
		MqttClient client = this.clients.make(broker, "bounded-dispatch",
				(b) -> b.dispatchThread(true).inboundQueueCapacity(capacity).publishTimeout(Duration.ofSeconds(30)));
		AtomicInteger published = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		AtomicInteger flood = new AtomicInteger();
		client.connect();
		client.subscribe("bounded/flood", 0, (MqttMessage message) -> flood.incrementAndGet());
		client.subscribe("bounded/in", 1, (MqttMessage message) -> {
			boolean done = client.publish("bounded/out", message.payload(), false, 1);
			(done ? published : failed).incrementAndGet();
		});
		MqttClient feeder = this.clients.make(broker, "bounded-feeder", (b) -> b.maxInflight(1_000));
		feeder.connect();
		CompletableFuture<Void> flooding = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < 20_000; i++) {
				feeder.publishAsync("bounded/flood", new byte[16], false, 0);
			}
		});
		for (int i = 0; i < 2_000; i++) {
			feeder.publishAsync("bounded/in", ("m" + i).getBytes(), false, 1);
		}
		flooding.get();
		await().atMost(Duration.ofSeconds(120)).until(() -> published.get() + failed.get() == 2_000);
		assertThat(failed).hasValue(0);
		// QoS 0 messages never beyond the overflow (twice the capacity; beyond it they
		// may be dropped),
		// QoS 1 ones bounded by what the broker sends unacknowledged, here at most all of
		// them
		assertThat(client.pendingMessagesPeak()).isLessThanOrEqualTo(2 * capacity + 2_000);
		await().atMost(Duration.ofSeconds(30)).until(() -> flood.get() + client.droppedMessages() == 20_000);
		assertThat(client.getMqttsta()).isZero();
	}

	@Test
	void asynchronousListenersBlockedInPublishDoNotTimeOut(MqttBroker broker) {
		int capacity = 10;
		ExecutorService workers = Executors.newFixedThreadPool(8);
		try {
			MqttClient client = this.clients.make(broker, "bounded-async",
					(b) -> b.dispatchThread(true)
						.inboundQueueCapacity(capacity)
						.publishTimeout(Duration.ofSeconds(10)));
			AtomicInteger published = new AtomicInteger();
			AtomicInteger failed = new AtomicInteger();
			client.connect();
			client.subscribe("async/in", 1, (AsyncMqttMessageListener) (message) -> CompletableFuture.runAsync(() -> {
				boolean done = client.publish("async/out", message.payload(), false, 1);
				(done ? published : failed).incrementAndGet();
			}, workers));
			MqttClient feeder = this.clients.make(broker, "async-feeder");
			feeder.connect();
			for (int i = 0; i < 500; i++) {
				feeder.publishAsync("async/in", ("m" + i).getBytes(), false, 1);
			}
			await().atMost(Duration.ofSeconds(120)).until(() -> published.get() + failed.get() == 500);
			assertThat(failed).hasValue(0);
			assertThat(client.pendingMessagesPeak()).isLessThanOrEqualTo(2 * capacity + 500);
		}
		finally {
			workers.shutdownNow();
		}
	}

}
