package io.umqtt.core.client;

import java.time.Duration;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.umqtt.core.MqttClient;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.packet.PacketProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5: whether the session outlives the connection is the Session Expiry Interval's to
 * say, the server's from CONNACK where it sends one (3.2.2.3.2), not the Clean Start
 * flag's. A QoS 1 message nobody handles shows which: the client leaves it unacknowledged
 * only when the broker keeps the session to send it again. Against the scripted broker,
 * which sends what Mosquitto will not (a Session Expiry Interval other than the
 * client's).
 */
class Mqtt5SessionExpiryIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	static byte[] qos1Publish(int packetId) {
		ByteBuf buffer = Unpooled.buffer();
		PacketEncoder.MQTT_5.encodePublish("v5/expiry/t", 1, false, false, packetId, PacketProperties.NONE,
				"unhandled".getBytes(), buffer);
		return ByteBufUtil.getBytes(buffer);
	}

	private MqttClient client(ScriptedBroker broker, Duration sessionExpiry) {
		return this.clients.track(MqttClient.builder(Clients.id("v5-expiry"), "127.0.0.1")
			.port(broker.port())
			.version(5)
			.sessionExpiry(sessionExpiry)
			.reconn(false)
			.dispatchThread(true)
			.build());
	}

	@Test
	void theServersSessionExpiryOfZeroEndsTheSessionWithTheConnection() throws Exception {
		// the client asks for 5 minutes, the server answers 0: the session ends with
		// the connection, so an unhandled message is acknowledged (it would be lost
		// anyway)
		PacketProperties connack = PacketProperties.builder().sessionExpiryInterval(0).build();
		try (ScriptedBroker broker = ScriptedBroker.answering(Mqtt5ConnectIntegrationTests.connack(connack, 0))
			.sendAfterConnack(qos1Publish(7))) {
			MqttClient client = client(broker, Duration.ofMinutes(5));
			client.connect(false);
			await().atMost(Duration.ofSeconds(10)).until(() -> client.unhandledMessages() == 1);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(broker.pubAcks()).containsExactly(7));
		}
	}

	@Test
	void theServersSessionExpiryKeepsTheSessionTheClientDidNotAskToKeep() throws Exception {
		// the client asks for none, the server keeps the session for 2 minutes: the
		// broker sends the message again on the next connection, so it stays
		// unacknowledged
		PacketProperties connack = PacketProperties.builder().sessionExpiryInterval(120).build();
		try (ScriptedBroker broker = ScriptedBroker.answering(Mqtt5ConnectIntegrationTests.connack(connack, 0))
			.sendAfterConnack(qos1Publish(8))) {
			MqttClient client = client(broker, Duration.ZERO);
			client.connect(false);
			await().atMost(Duration.ofSeconds(10)).until(() -> client.unhandledMessages() == 1);
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> broker.pubAcks().isEmpty());
		}
	}

	@Test
	void withoutSessionExpiryCleanStartZeroIsNoPersistentSession() throws Exception {
		// [MQTT-3.1.2-23]: Session Expiry Interval 0 (absent): the session ends with
		// the network connection, even with Clean Start 0
		try (ScriptedBroker broker = ScriptedBroker
			.answering(Mqtt5ConnectIntegrationTests.connack(PacketProperties.NONE, 0))
			.sendAfterConnack(qos1Publish(9))) {
			MqttClient client = client(broker, Duration.ZERO);
			client.connect(false);
			await().atMost(Duration.ofSeconds(10)).until(() -> client.unhandledMessages() == 1);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(broker.pubAcks()).containsExactly(9));
		}
	}

	@Test
	void aSessionExpiryTheServerLeavesAloneKeepsTheSession() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker
			.answering(Mqtt5ConnectIntegrationTests.connack(PacketProperties.NONE, 0))
			.sendAfterConnack(qos1Publish(10))) {
			MqttClient client = client(broker, Duration.ofMinutes(5));
			client.connect(false);
			await().atMost(Duration.ofSeconds(10)).until(() -> client.unhandledMessages() == 1);
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> broker.pubAcks().isEmpty());
		}
	}

}
