package io.umqtt.core.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * A publish the broker answers by closing the connection (as brokers do for a QoS they do
 * not support, a {@code $} topic or a packet over their limit) fails after a bounded
 * number of connections instead of being resent after every reconnect; a size limit given
 * to the client fails an oversized publish before anything is sent.
 */
class PoisonPublishIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	/**
	 * Resumes the session, acknowledges every PUBLISH, and closes the connection on one
	 * to "poison".
	 */
	private static ConversationBroker closingOnPoison() {
		return new ConversationBroker((n, c) -> {
			c.accept(n > 1);
			while (true) {
				ConversationBroker.Packet packet = c.read(3);
				int topicLength = ((packet.body()[0] & 0xFF) << 8) | (packet.body()[1] & 0xFF);
				String topic = new String(packet.body(), 2, topicLength, StandardCharsets.UTF_8);
				if (topic.equals("poison")) {
					return;
				}
				int id = packet.publishId();
				c.write(0x40, 0x02, id >> 8, id & 0xFF);
			}
		});
	}

	@Test
	void aPublishThatKeepsEndingTheConnectionFailsAfterThreeAttemptsAndTheClientCarriesOn() throws Exception {
		try (ConversationBroker broker = closingOnPoison()) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("poison"), "127.0.0.1")
				.port(broker.port())
				.publishTimeout(Duration.ofSeconds(60))
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
				.build());
			client.connect(false);
			assertThat(client.publish("fine", "1".getBytes(), false, 1)).isTrue();
			CompletableFuture<Void> poison = client.publishAsync("poison", "x".getBytes(), false, 1);
			assertThat(poison).failsWithin(Duration.ofSeconds(30))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(MqttException.class)
				.withMessageContaining("closed 3 times");
			// written on four connections, each closed before its PUBACK: the first close
			// only isolates it, the next three, with it sent alone, count; the fifth
			// connection stays up
			await().atMost(Duration.ofSeconds(10)).until(() -> client.status() == MqttStatus.CONNECTED);
			assertThat(client.publish("fine", "2".getBytes(), false, 1)).isTrue();
			assertThat(broker.connections()).isEqualTo(5);
			assertThat(broker.failures()).isEmpty();
		}
	}

	@Test
	void aResetAfterAPublishWrittenAtAnyMomentIsNoEvidenceButAResetAfterItsResendIs() throws Exception {
		// every connection reads the PUBLISH on "poison" and resets (RST), as a stopped
		// broker that is killed does: the first close, after a PUBLISH written when the
		// application asked, may be a hang and is not counted; the resends, written
		// right behind the broker's CONNACK, are
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(n > 1);
			while (true) {
				ConversationBroker.Packet packet = c.read(3);
				int topicLength = ((packet.body()[0] & 0xFF) << 8) | (packet.body()[1] & 0xFF);
				if (new String(packet.body(), 2, topicLength, StandardCharsets.UTF_8).equals("poison")) {
					c.reset();
					return;
				}
				int id = packet.publishId();
				c.write(0x40, 0x02, id >> 8, id & 0xFF);
			}
		})) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("reset"), "127.0.0.1")
				.port(broker.port())
				.publishTimeout(Duration.ofSeconds(60))
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
				.build());
			client.connect(false);
			assertThat(client.publish("fine", "1".getBytes(), false, 1)).isTrue();
			CompletableFuture<Void> poison = client.publishAsync("poison", "x".getBytes(), false, 1);
			assertThat(poison).failsWithin(Duration.ofSeconds(30))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(MqttException.class)
				.withMessageContaining("closed 3 times");
			await().atMost(Duration.ofSeconds(10)).until(() -> client.status() == MqttStatus.CONNECTED);
			assertThat(client.publish("fine", "2".getBytes(), false, 1)).isTrue();
			// the first send and four resends, each reset: the first resend's close only
			// isolates it, the next three count; the sixth connection stays up
			assertThat(broker.connections()).isEqualTo(6);
			assertThat(broker.failures()).isEmpty();
		}
	}

	@Test
	void brokerRestartsWithAMessageInFlightNeverDropIt() throws Exception {
		// five connections read the PUBLISH, send other traffic and close, as a
		// restarting broker
		// would; the sixth acknowledges it
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(n > 1);
			ConversationBroker.Packet publish = c.read(3);
			if (n <= 5) {
				// a QoS 0 PUBLISH on "news": the broker was working after it read ours
				c.write(0x30, 0x06, 0x00, 0x04, 'n', 'e', 'w', 's');
				return;
			}
			int id = publish.publishId();
			c.write(0x40, 0x02, id >> 8, id & 0xFF);
			c.read(14);
		})) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("restarts"), "127.0.0.1")
				.port(broker.port())
				.publishTimeout(Duration.ofSeconds(60))
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
				.build());
			client.connect(false);
			CompletableFuture<Void> healthy = client.publishAsync("healthy", "x".getBytes(), false, 1);
			assertThat(healthy).succeedsWithin(Duration.ofSeconds(30));
			assertThat(broker.connections()).isEqualTo(6);
			assertThat(broker.failures()).isEmpty();
		}
	}

	@Test
	void keepAliveTimeoutsWithAMessageInFlightNeverDropIt() throws Exception {
		// four connections read the PUBLISH and then answer nothing, not even PINGREQ,
		// until the
		// client's keep-alive gives up on them; the fifth acknowledges it
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(n > 1);
			ConversationBroker.Packet publish = c.read(3);
			if (n <= 4) {
				while (true) {
					c.read();
				}
			}
			int id = publish.publishId();
			c.write(0x40, 0x02, id >> 8, id & 0xFF);
			c.read(14);
		})) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("keepalive"), "127.0.0.1")
				.port(broker.port())
				.keepalive(1)
				.publishTimeout(Duration.ofSeconds(60))
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
				.build());
			client.connect(false);
			CompletableFuture<Void> healthy = client.publishAsync("healthy", "x".getBytes(), false, 1);
			assertThat(healthy).succeedsWithin(Duration.ofSeconds(30));
			assertThat(broker.connections()).isEqualTo(5);
			assertThat(broker.failures()).isEmpty();
		}
	}

	@Test
	void aPublishOverTheOutgoingSizeLimitFailsBeforeAnythingIsSent() throws Exception {
		try (ConversationBroker broker = closingOnPoison()) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("size-limit"), "127.0.0.1")
				.port(broker.port())
				.maxOutgoingPacketSize(1_024)
				.build());
			client.connect();
			// 1 + 2 (remaining length) + 2 + 4 ("size") + 2 (packet id) + 1,013 = 1,024
			// bytes: fits
			assertThat(client.publish("size", new byte[1_013], false, 1)).isTrue();
			assertThatIllegalArgumentException().isThrownBy(() -> client.publish("size", new byte[1_014], false, 1))
				.withMessageContaining("1025 bytes, over maxOutgoingPacketSize 1024");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> client.publishAsync("size", new byte[5_000], false, 0))
				.withMessageContaining("over maxOutgoingPacketSize 1024");
			assertThat(client.status()).isEqualTo(MqttStatus.CONNECTED);
			assertThat(broker.connections()).isEqualTo(1);
		}
	}

}
