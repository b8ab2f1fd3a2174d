package io.umqtt.core.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttConnectionListener;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.Publish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 protocol errors by the server that the client answers with DISCONNECT and the
 * reason code naming them, then reconnects as after a lost connection: more QoS 1/2
 * PUBLISHes unacknowledged than the client's Receive Maximum (0x93), a packet over its
 * Maximum Packet Size (0x95), a malformed property (0x81).
 */
class Mqtt5InboundProtocolErrorIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private static byte[] publish(String topic, int qos, int packetId, String payload) {
		ByteBuf buffer = Unpooled.buffer();
		PacketEncoder.MQTT_5.encode(
				new Publish(topic, qos, false, false, packetId, Unpooled.wrappedBuffer(payload.getBytes())), buffer);
		return ByteBufUtil.getBytes(buffer);
	}

	private MqttClient client(ScriptedBroker broker, String name, List<String> errors,
			java.util.function.UnaryOperator<MqttClient.Builder> customizer) {
		MqttClient client = this.clients.track(
				customizer
					.apply(MqttClient.builder(Clients.id(name), "127.0.0.1")
						.port(broker.port())
						.version(5)
						.dispatchThread(true)
						.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(300)))
					.build());
		// the error callback says reconnect_start; the reason is the connection's
		client.addConnectionListener(new MqttConnectionListener() {

			@Override
			public void connectionLost(MqttClient lost, String reason) {
				errors.add(reason);
			}

		});
		client.errorRegisterCb(errors::add);
		return client;
	}

	@Test
	void moreUnacknowledgedPublishesThanTheReceiveMaximumIsDisconnect0x93() throws Exception {
		// [MQTT-3.3.4-9]: the server must not send more than the client's Receive Maximum
		// of QoS 1/2 PUBLISHes unacknowledged; the client answers DISCONNECT 0x93
		byte[] three = Mqtt5ConnectIntegrationTests.concat(publish("v5/rm", 2, 1, "one"), publish("v5/rm", 2, 2, "two"),
				publish("v5/rm", 2, 3, "three"));
		// the server keeps the session: CONNACK with session present
		try (ScriptedBroker broker = ScriptedBroker.answering(new byte[] { 0x20, 0x03, 0x01, 0x00, 0x00 })
			.sendAfterConnack(three)) {
			List<String> errors = new CopyOnWriteArrayList<>();
			List<String> received = new CopyOnWriteArrayList<>();
			CountDownLatch disconnected = new CountDownLatch(1);
			MqttClient client = client(broker, "v5-rm", errors,
					(b) -> b.receiveMaximum(2).sessionExpiry(Duration.ofHours(1)));
			client.setCallback((MqttMessage message) -> {
				received.add(message.payloadAsString());
				try {
					// nothing is acknowledged until the client has answered the third
					disconnected.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			client.connect(false);
			await().atMost(Duration.ofSeconds(10)).until(() -> !broker.disconnects().isEmpty());
			disconnected.countDown();
			assertThat(broker.disconnects().get(0)[0] & 0xFF).isEqualTo(0x93);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(errors).anySatisfy((e) -> assertThat(e).contains("Receive Maximum of 2")
					.contains("Receive Maximum exceeded (0x93)")));
			// reconnected as after a lost connection; the broker resends the same
			// PUBLISHes on each connection, and the QoS 2 state kept delivers none twice
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.connections() >= 3);
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(received).containsExactly("one", "two"));
		}
	}

	@Test
	void aPacketOverTheClientsMaximumPacketSizeIsDisconnect0x95() throws Exception {
		// [MQTT-3.1.2-24]: the server must not send packets over the client's Maximum
		// Packet Size; the client answers DISCONNECT 0x95 [MQTT-4.13.1-1]
		try (ScriptedBroker broker = ScriptedBroker
			.answering(Mqtt5ConnectIntegrationTests.connack(PacketProperties.NONE, 0))
			.sendAfterConnack(publish("v5/big", 0, 0, "x".repeat(200)))) {
			List<String> errors = new CopyOnWriteArrayList<>();
			Received received = new Received();
			MqttClient client = client(broker, "v5-big", errors, (b) -> b.maxPacketSize(128));
			client.setCallback(received);
			client.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> !broker.disconnects().isEmpty());
			assertThat(broker.disconnects().get(0)[0] & 0xFF).isEqualTo(0x95);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(errors)
					.anySatisfy((e) -> assertThat(e).contains("exceeds the maximum packet size of 128 bytes")));
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.connections() >= 2);
			assertThat(received.messages()).isEmpty();
		}
	}

	@Test
	void afterItsDisconnectOf0x80OrMoreTheClientClosesTheConnection() throws Exception {
		// a PUBLISH carrying Session Expiry Interval: malformed, DISCONNECT 0x81; the
		// broker keeps the connection open
		byte[] malformed = { 0x30, 10, 0x00, 0x01, 'a', 5, 0x11, 0, 0, 0, 1, 'x' };
		try (ScriptedBroker broker = ScriptedBroker
			.answering(Mqtt5ConnectIntegrationTests.connack(PacketProperties.NONE, 0))
			.sendAfterConnack(malformed)
			.readingAfterDisconnect()) {
			MqttClient client = client(broker, "v5-closes", new CopyOnWriteArrayList<>(), (b) -> b.reconn(false));
			client.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> !broker.disconnects().isEmpty());
			assertThat(broker.disconnects().get(0)[0] & 0xFF).isEqualTo(0x81);
			// [MQTT-4.13.2-1]: after a DISCONNECT of 0x80 or more the connection is
			// closed: the client closes it
			await().atMost(Duration.ofSeconds(10)).until(broker::clientClosedAll);
		}
	}

	@Test
	void aMalformedPropertyIsDisconnect0x81() throws Exception {
		// [MQTT-2.2.2-2]: a PUBLISH carrying Session Expiry Interval (0x11), which it may
		// not, is a malformed packet; the client answers DISCONNECT 0x81
		byte[] malformed = { 0x30, 10, 0x00, 0x01, 'a', 5, 0x11, 0, 0, 0, 1, 'x' };
		try (ScriptedBroker broker = ScriptedBroker
			.answering(Mqtt5ConnectIntegrationTests.connack(PacketProperties.NONE, 0))
			.sendAfterConnack(malformed)) {
			List<String> errors = new CopyOnWriteArrayList<>();
			Received received = new Received();
			MqttClient client = client(broker, "v5-malformed", errors, (b) -> b);
			client.setCallback(received);
			client.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> !broker.disconnects().isEmpty());
			assertThat(broker.disconnects().get(0)[0] & 0xFF).isEqualTo(0x81);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(errors).anySatisfy((e) -> assertThat(e).contains("[MQTT-2.2.2.2]")));
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.connections() >= 2);
			assertThat(received.messages()).isEmpty();
		}
	}

}
