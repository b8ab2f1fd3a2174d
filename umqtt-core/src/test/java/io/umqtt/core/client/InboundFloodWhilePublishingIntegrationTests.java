package io.umqtt.core.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.umqtt.core.MqttClient;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A persistent-session client that keeps publishing QoS 1 messages (so a PUBACK is always
 * awaited) while Mosquitto floods it beyond the inbound queue's hard bound: every message
 * released unacknowledged must reach the application while the client goes on publishing,
 * through a reconnect once the queue has drained, with the queue bounded, and every one
 * of the client's own publishes completes.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class InboundFloodWhilePublishingIntegrationTests {

	private static final int QUEUE_BYTES = 1_000;

	private static final int FLOOD = 35;

	/** The client's own publishes outstanding: most wait behind a window of 2. */
	private static final int OUTSTANDING = 50;

	@RegisterExtension
	final Clients clients = new Clients();

	@Test
	void releasedMessagesReachTheApplicationWhileTheClientKeepsPublishing(MqttBroker broker) throws Exception {
		MqttClient subscriber = this.clients.track(MqttClient.builder(Clients.id("flood-pub"), "127.0.0.1")
			.port(broker.port())
			.inboundQueueBytes(QUEUE_BYTES)
			.maxInflight(2)
			.publishTimeout(Duration.ofSeconds(5))
			.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200))
			.build());
		Set<String> handled = ConcurrentHashMap.newKeySet();
		subscriber.setCallback((topic, payload) -> handled.add(new String(payload, 0, 3, StandardCharsets.US_ASCII)));
		subscriber.connect(false);
		subscriber.subscribe("flood", 1);
		MqttClient publisher = this.clients
			.track(MqttClient.builder(Clients.id("flooder"), "127.0.0.1").port(broker.port()).build());
		publisher.connect();
		// the subscriber keeps QoS 1 publishes of its own in flight all along: an
		// acknowledgement lets the next one waiting into the window at once, so a PUBACK
		// is always awaited
		AtomicBoolean publishing = new AtomicBoolean(true);
		AtomicLong published = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicLong peakBytes = new AtomicLong();
		Semaphore window = new Semaphore(OUTSTANDING);
		Thread own = new Thread(() -> {
			while (publishing.get()) {
				try {
					window.acquire();
				}
				catch (InterruptedException ex) {
					return;
				}
				subscriber.publishAsync("sink", "x".getBytes(), false, 1).whenComplete((v, ex) -> {
					published.incrementAndGet();
					if (ex != null) {
						failed.incrementAndGet();
					}
					window.release();
				});
				peakBytes.accumulateAndGet(subscriber.pendingBytes(), Math::max);
			}
		});
		own.start();
		try {
			for (int i = 0; i < FLOOD; i++) {
				byte[] payload = new byte[100];
				byte[] number = String.format("%03d", i).getBytes(StandardCharsets.US_ASCII);
				System.arraycopy(number, 0, payload, 0, number.length);
				assertThat(publisher.publish("flood", payload, false, 1)).isTrue();
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.droppedMessages() > 0);
			long released = subscriber.droppedMessages();
			// delivered while the client goes on publishing, a PUBACK awaited all along
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				subscriber.waitMsg(Duration.ofMillis(100));
				return handled.size() == FLOOD;
			});
			publishing.set(false);
			own.join(10_000);
			// every publish of the client completes, none failed by the reconnect
			await().atMost(Duration.ofSeconds(10)).until(() -> window.availablePermits() == OUTSTANDING);
			assertThat(failed.get()).as("own publishes failed, of %d", published.get()).isZero();
			assertThat(released).isPositive();
			// one reconnect per drain, not a loop
			assertThat(subscriber.reconnectCount()).isBetween(1L, 3L);
			assertThat(peakBytes.get()).isLessThanOrEqualTo(3L * QUEUE_BYTES);
		}
		finally {
			publishing.set(false);
			own.join(10_000);
		}
	}

}
