package io.umqtt.core.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttStatus;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mosquitto sends 35 QoS 1 messages of 100 bytes (3.5 times {@code inboundQueueBytes})
 * while nobody takes messages out of the queue, and then the SUBACK a client waits for.
 * The SUBACK is read, the queue holds no more than its hard bound, and what is beyond it
 * is released without acknowledgement: a persistent session gets it again after a
 * reconnect, once the queue drained, so the listener handles every message; a clean
 * session says how many it lost.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class InboundFloodMosquittoIntegrationTests {

	private static final int QUEUE_BYTES = 1_000;

	private static final int FLOOD = 35;

	@RegisterExtension
	final Clients clients = new Clients();

	private MqttClient subscriber(MqttBroker broker, String prefix) {
		return this.clients.track(MqttClient.builder(Clients.id(prefix), "127.0.0.1")
			.port(broker.port())
			.inboundQueueBytes(QUEUE_BYTES)
			.publishTimeout(Duration.ofSeconds(5))
			.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200))
			.build());
	}

	/**
	 * Floods the subscriber, then subscribes once more: the SUBACK is behind the flood.
	 */
	private void floodAndSubscribe(MqttBroker broker, MqttClient subscriber) {
		MqttClient publisher = this.clients
			.track(MqttClient.builder(Clients.id("flooder"), "127.0.0.1").port(broker.port()).build());
		publisher.connect();
		for (int i = 0; i < FLOOD; i++) {
			byte[] payload = new byte[100];
			byte[] number = String.format("%03d", i).getBytes(StandardCharsets.US_ASCII);
			System.arraycopy(number, 0, payload, 0, number.length);
			assertThat(publisher.publish("flood", payload, false, 1)).isTrue();
		}
		// reading paused at the capacity; the rest of the flood waits in the socket
		await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.pendingBytes() >= QUEUE_BYTES);
		assertThat(subscriber.subscribe("other", 1)).as("the SUBACK behind the flood").isEqualTo(1);
		// bounded memory: no more than the hard bound, three times inboundQueueBytes
		assertThat(subscriber.pendingBytes()).isLessThanOrEqualTo(3L * QUEUE_BYTES);
		assertThat(subscriber.droppedMessages()).as("released without acknowledgement").isPositive();
	}

	@Test
	void aPersistentSessionGetsEveryMessageOfTheFloodReleasedBeyondTheHardBound(MqttBroker broker) {
		MqttClient subscriber = subscriber(broker, "flood-persistent");
		Set<String> handled = ConcurrentHashMap.newKeySet();
		subscriber.setCallback((topic, payload) -> handled.add(new String(payload, 0, 3, StandardCharsets.US_ASCII)));
		subscriber.connect(false);
		subscriber.subscribe("flood", 1);
		floodAndSubscribe(broker, subscriber);
		long released = subscriber.droppedMessages();
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			subscriber.waitMsg(Duration.ofMillis(100));
			return handled.size() == FLOOD;
		});
		assertThat(subscriber.reconnectCount()).as("reconnected for the released messages").isEqualTo(1);
		assertThat(subscriber.droppedMessages()).isEqualTo(released);
		await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.status() == MqttStatus.CONNECTED);
	}

	@Test
	void aCleanSessionCountsTheMessagesReleasedBeyondTheHardBoundAsLost(MqttBroker broker) {
		MqttClient subscriber = subscriber(broker, "flood-clean");
		Set<String> handled = ConcurrentHashMap.newKeySet();
		subscriber.setCallback((topic, payload) -> handled.add(new String(payload, 0, 3, StandardCharsets.US_ASCII)));
		subscriber.connect(true);
		subscriber.subscribe("flood", 1);
		floodAndSubscribe(broker, subscriber);
		long lost = subscriber.droppedMessages();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			subscriber.waitMsg(Duration.ofMillis(100));
			return handled.size() + lost == FLOOD;
		});
		// no reconnect: a clean session would not have them again
		assertThat(subscriber.reconnectCount()).isZero();
		assertThat(subscriber.status()).isEqualTo(MqttStatus.CONNECTED);
	}

}
