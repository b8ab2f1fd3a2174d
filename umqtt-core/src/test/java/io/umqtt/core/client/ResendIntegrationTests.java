package io.umqtt.core.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The link is cut at exact points of a QoS flow and the broker resumes the session: what
 * the client sends next follows [MQTT-4.4.0-1], and QoS 2 is delivered exactly once.
 */
class ResendIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private MqttClient client(ConversationBroker broker, String prefix) {
		return this.clients.track(MqttClient.builder(Clients.id(prefix), "127.0.0.1")
			.port(broker.port())
			.publishTimeout(Duration.ofSeconds(20))
			.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
			.build());
	}

	@Test
	void cutAfterPublishBeforePubAckResendsThePublishWithDup() throws Exception {
		List<String> seen = new CopyOnWriteArrayList<>();
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(n > 1);
			ConversationBroker.Packet publish = c.read(3);
			seen.add("conn " + n + ": PUBLISH id " + publish.publishId() + " dup " + publish.dup());
			if (n > 1) {
				int id = publish.publishId();
				c.write(0x40, 0x02, id >> 8, id & 0xFF);
				c.read();
			}
			// first connection: cut before PUBACK
		})) {
			MqttClient client = client(broker, "cut-puback");
			client.connect(false);
			CompletableFuture<Void> sent = client.publishAsync("t", "x".getBytes(), false, 1);
			sent.get(20, TimeUnit.SECONDS);
			assertThat(seen).containsExactly("conn 1: PUBLISH id 1 dup false", "conn 2: PUBLISH id 1 dup true");
			assertThat(broker.failures()).isEmpty();
		}
	}

	@Test
	void cutAfterPubRecBeforePubCompResendsPubRelNotPublish() throws Exception {
		List<String> seen = new CopyOnWriteArrayList<>();
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(n > 1);
			if (n == 1) {
				ConversationBroker.Packet publish = c.read(3);
				int id = publish.publishId();
				seen.add("conn 1: PUBLISH id " + id);
				c.write(0x50, 0x02, id >> 8, id & 0xFF);
				ConversationBroker.Packet rel = c.read(6);
				seen.add("conn 1: PUBREL id " + rel.packetId());
				// cut before PUBCOMP
				return;
			}
			ConversationBroker.Packet next = c.read();
			seen.add(
					"conn " + n + ": " + ((next.type() == 6) ? "PUBREL id " + next.packetId() : "type " + next.type()));
			if (next.type() == 6) {
				c.write(0x70, 0x02, next.packetId() >> 8, next.packetId() & 0xFF);
			}
			c.read();
		})) {
			MqttClient client = client(broker, "cut-pubcomp");
			client.connect(false);
			client.publishAsync("t", "x".getBytes(), false, 2).get(20, TimeUnit.SECONDS);
			assertThat(seen).containsExactly("conn 1: PUBLISH id 1", "conn 1: PUBREL id 1", "conn 2: PUBREL id 1");
			assertThat(broker.failures()).isEmpty();
		}
	}

	@Test
	void cutAfterAnInboundQos2PublishBeforePubRelNeverDeliversItTwice() throws Exception {
		List<String> seen = new CopyOnWriteArrayList<>();
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(n > 1);
			// PUBLISH QoS 2 (DUP on the resend), topic "in", packet id 9, payload "once"
			c.write((n == 1) ? 0x34 : 0x3C, 0x0A, 0x00, 0x02, 'i', 'n', 0x00, 0x09, 'o', 'n', 'c', 'e');
			ConversationBroker.Packet rec = c.read(5);
			seen.add("conn " + n + ": PUBREC id " + rec.packetId());
			if (n == 1) {
				// cut before PUBREL
				return;
			}
			c.write(0x62, 0x02, 0x00, 0x09);
			ConversationBroker.Packet comp = c.read(7);
			seen.add("conn " + n + ": PUBCOMP id " + comp.packetId());
			c.read();
		})) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("cut-pubrel"), "127.0.0.1")
				.port(broker.port())
				.dispatchThread(true)
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
				.build());
			List<String> delivered = new CopyOnWriteArrayList<>();
			client.setCallback((topic, msg) -> delivered.add(new String(msg)));
			client.connect(false);
			await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("conn 2: PUBCOMP id 9"));
			assertThat(seen).containsExactly("conn 1: PUBREC id 9", "conn 2: PUBREC id 9", "conn 2: PUBCOMP id 9");
			assertThat(delivered).containsExactly("once");
			assertThat(broker.failures()).isEmpty();
		}
	}

}
