package io.umqtt.core.client;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker that sends more QoS 1 messages than the inbound overflow holds before the
 * answer a client waits for (SUBACK, PUBACK): the overflow has a margin for QoS 1 and 2
 * messages above its byte bound, so the answer is still read while nobody takes messages
 * out of the queue.
 */
class InboundMarginIntegrationTests {

	private static final int QUEUE_BYTES = 1_000;

	/**
	 * 25 messages of 100 bytes: 2.5 times {@code inboundQueueBytes}, past the overflow's
	 * bound.
	 */
	private static final int FLOOD = 25;

	@RegisterExtension
	final Clients clients = new Clients();

	/**
	 * Sends {@code FLOOD} QoS 1 PUBLISHes of 100 payload bytes on topic "f", packet ids
	 * from 1.
	 */
	private static void flood(ConversationBroker.Conversation c) throws IOException {
		for (int id = 1; id <= FLOOD; id++) {
			int[] packet = new int[2 + 3 + 2 + 100];
			packet[0] = 0x32;
			packet[1] = 3 + 2 + 100;
			packet[2] = 0;
			packet[3] = 1;
			packet[4] = 'f';
			packet[5] = id >> 8;
			packet[6] = id & 0xFF;
			c.write(packet);
		}
	}

	private MqttClient client(ConversationBroker broker, String prefix) {
		return this.clients.track(MqttClient.builder(Clients.id(prefix), "127.0.0.1")
			.port(broker.port())
			.inboundQueueBytes(QUEUE_BYTES)
			.publishTimeout(Duration.ofSeconds(5))
			.build());
	}

	@Test
	void aSubackBehindAFloodOfQos1MessagesIsReadWhileNobodyDelivers() throws Exception {
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(false);
			ConversationBroker.Packet subscribe = c.read(8);
			flood(c);
			c.write(0x90, 0x03, subscribe.body()[0], subscribe.body()[1], 0x01);
			c.read(14);
		})) {
			MqttClient client = client(broker, "margin-suback");
			client.connect();
			assertThat(client.subscribe("f", 1)).isEqualTo(1);
			assertThat(client.pendingMessages()).isEqualTo(FLOOD);
			assertThat(client.pendingBytes()).isEqualTo(FLOOD * 100L);
			assertThat(client.status()).isEqualTo(MqttStatus.CONNECTED);
			assertThat(broker.failures()).isEmpty();
		}
	}

	@Test
	void aPubackBehindAFloodOfQos1MessagesIsReadWhileNobodyDelivers() throws Exception {
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(false);
			ConversationBroker.Packet publish = c.read(3);
			flood(c);
			int id = publish.publishId();
			c.write(0x40, 0x02, id >> 8, id & 0xFF);
			c.read(14);
		})) {
			MqttClient client = client(broker, "margin-puback");
			client.connect();
			CompletableFuture<Void> published = client.publishAsync("out", "x".getBytes(), false, 1);
			assertThat(published).succeedsWithin(Duration.ofSeconds(5));
			await().atMost(Duration.ofSeconds(5)).until(() -> client.pendingMessages() == FLOOD);
			// delivering them all lets the queue drain: nothing stays stuck
			for (int i = 0; i < FLOOD; i++) {
				assertThat(client.waitMsg(Duration.ofSeconds(5))).isTrue();
			}
			assertThat(client.pendingMessages()).isZero();
			assertThat(broker.failures()).isEmpty();
		}
	}

}
