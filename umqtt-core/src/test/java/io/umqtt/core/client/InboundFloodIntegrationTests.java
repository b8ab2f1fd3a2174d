package io.umqtt.core.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker sends 35 QoS 1 messages of 100 bytes (3.5 times {@code inboundQueueBytes})
 * ahead of the SUBACK the client waits for, while nobody takes messages out of the queue:
 * the broker's window, not {@code inboundQueueBytes}, decides how many come first. The
 * queue stays within its hard bound (the rest released without acknowledgement), and the
 * SUBACK is still read.
 */
class InboundFloodIntegrationTests {

	private static final int QUEUE_BYTES = 1_000;

	private static final int FLOOD = 35;

	@RegisterExtension
	final Clients clients = new Clients();

	@Test
	void aSubackBehindMoreThanThreeTimesTheQueueBytesIsStillRead() throws Exception {
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(false);
			ConversationBroker.Packet subscribe = c.read(8);
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
			c.write(0x90, 0x03, subscribe.body()[0], subscribe.body()[1], 0x01);
			c.read(14);
		})) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("margin-flood"), "127.0.0.1")
				.port(broker.port())
				.inboundQueueBytes(QUEUE_BYTES)
				.publishTimeout(Duration.ofSeconds(5))
				.build());
			client.connect();
			CompletableFuture<Integer> granted = CompletableFuture.supplyAsync(() -> client.subscribe("f", 1));
			// bounded memory: never more than the hard bound (three times
			// inboundQueueBytes)
			await().atMost(Duration.ofSeconds(5)).until(() -> client.pendingBytes() >= 3 * QUEUE_BYTES);
			assertThat(client.pendingBytes()).isLessThanOrEqualTo(3L * QUEUE_BYTES + 100);
			assertThat(granted).as("the SUBACK behind the flood").succeedsWithin(Duration.ofSeconds(8));
			// the five beyond the hard bound released without acknowledgement, counted
			assertThat(client.pendingMessages()).isEqualTo(30);
			assertThat(client.droppedMessages()).isEqualTo(FLOOD - 30);
			assertThat(client.status()).isEqualTo(MqttStatus.CONNECTED);
			assertThat(broker.failures()).isEmpty();
		}
	}

}
