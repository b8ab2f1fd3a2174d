package io.umqtt.core.client;

import java.time.Duration;
import java.util.HexFormat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import io.umqtt.core.ServerLimits;
import io.umqtt.core.UserProperty;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code version(5)} end to end: CONNECT with its MQTT 5 properties and CONNACK with the
 * server's limits, against Mosquitto 2.0 (which speaks 5) and, for the exact bytes and
 * for what Mosquitto will not send, the scripted broker.
 */
class Mqtt5ConnectIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	static byte[] connack(PacketProperties properties, int reasonCode) {
		ByteBuf buffer = Unpooled.buffer();
		PacketEncoder.MQTT_5.encode(new ConnAck(false, reasonCode, properties), buffer);
		return ByteBufUtil.getBytes(buffer);
	}

	static Connect decodeConnect(byte[] bytes) {
		return (Connect) new PacketDecoder(PacketDecoder.DEFAULT_MAX_PACKET_SIZE, 5)
			.decode(Unpooled.wrappedBuffer(bytes));
	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
	class OnMosquitto {

		@Test
		void publishesAndReceivesOnProtocolLevel5(MqttBroker broker) {
			MqttClient client = Mqtt5ConnectIntegrationTests.this.clients.make(broker, "v5",
					(b) -> b.version(5).dispatchThread(true));
			assertThat(client.connect()).isZero();
			assertThat(broker.log()).contains("(p5, c1, k0");
			Received received = new Received();
			assertThat(client.subscribe("v5/roundtrip", 2, received)).isEqualTo(2);
			for (int qos = 0; qos <= 2; qos++) {
				assertThat(client.publish("v5/roundtrip", "qos" + qos, false, qos)).isTrue();
			}
			received.awaitCount(3);
			assertThat(received.payloads()).containsExactly("qos0", "qos1", "qos2");
			assertThat(client.status()).isEqualTo(MqttStatus.CONNECTED);
		}

		@Test
		void aSessionExpiryKeepsTheSessionAfterTheConnection(MqttBroker broker) {
			// [MQTT-3.1.2-23]: with a Session Expiry Interval above 0 the server keeps
			// the session after the network connection closes
			String id = Clients.id("v5-expiry");
			MqttClient first = Mqtt5ConnectIntegrationTests.this.clients.track(MqttClient.builder(id, broker.host())
				.port(broker.port())
				.version(5)
				.sessionExpiry(Duration.ofMinutes(5))
				.build());
			first.connect(true);
			assertThat(first.subscribe("v5/kept", 1)).isEqualTo(1);
			first.disconnect();
			MqttClient publisher = Mqtt5ConnectIntegrationTests.this.clients.make(broker, "v5-pub",
					(b) -> b.version(5));
			publisher.connect();
			assertThat(publisher.publish("v5/kept", "while away", false, 1)).isTrue();
			Received received = new Received();
			MqttClient second = Mqtt5ConnectIntegrationTests.this.clients.track(MqttClient.builder(id, broker.host())
				.port(broker.port())
				.version(5)
				.sessionExpiry(Duration.ofMinutes(5))
				.build());
			second.setCallback(received);
			second.connect(false);
			assertThat(second.isSessionPresent()).isTrue();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				second.checkMsg();
				assertThat(received.payloads()).containsExactly("while away");
			});
		}

		@Test
		void withoutSessionExpiryTheSessionEndsWithTheConnection(MqttBroker broker) {
			// [MQTT-3.1.2-23]: Session Expiry Interval absent (0): the session ends when
			// the network connection closes, even with Clean Start 0
			String id = Clients.id("v5-noexpiry");
			MqttClient first = Mqtt5ConnectIntegrationTests.this.clients
				.track(MqttClient.builder(id, broker.host()).port(broker.port()).version(5).build());
			first.connect(false);
			assertThat(first.subscribe("v5/gone", 1)).isEqualTo(1);
			first.disconnect();
			MqttClient second = Mqtt5ConnectIntegrationTests.this.clients
				.track(MqttClient.builder(id, broker.host()).port(broker.port()).version(5).build());
			second.connect(false);
			assertThat(second.isSessionPresent()).isFalse();
		}

		@Test
		void theServerAssignsAClientIdentifierForAnEmptyOne(MqttBroker broker) {
			// [MQTT-3.1.3-7]: an empty client id; the server's Assigned Client
			// Identifier
			MqttClient client = Mqtt5ConnectIntegrationTests.this.clients
				.track(MqttClient.builder("", broker.host()).port(broker.port()).version(5).build());
			client.connect();
			assertThat(client.assignedClientId()).isNotBlank();
			assertThat(broker.log()).contains(client.assignedClientId());
			// Mosquitto 2.0 announces a Topic Alias Maximum (10 by default)
			assertThat(client.serverLimits().topicAliasMaximum()).isPositive();
		}

	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO, username = "device-5", password = "pa55word")
	class OnMosquittoWithPassword {

		@Test
		void aRefusedConnectThrowsWithTheReasonCode(MqttBroker broker) {
			// Mosquitto 2.0 answers a wrong password on 5 with 0x87 (Not authorized)
			MqttClient client = Mqtt5ConnectIntegrationTests.this.clients.make(broker, "v5-refused",
					(b) -> b.version(5).user("device-5").password("wrong"));
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.satisfies((ex) -> assertThat(ex.reasonCode()).isEqualTo(0x87))
				.satisfies((ex) -> assertThat(ex.returnCode()).isEqualTo(0x87))
				.withMessageStartingWith("Connection refused: Not authorized (0x87)");
			assertThat(client.status()).isNotEqualTo(MqttStatus.CONNECTED);
		}

		@Test
		void theRightPasswordConnects(MqttBroker broker) {
			MqttClient client = Mqtt5ConnectIntegrationTests.this.clients.make(broker, "v5-auth",
					(b) -> b.version(5).user("device-5").password("pa55word"));
			assertThat(client.connect()).isZero();
		}

	}

	@Test
	void connectCarriesTheMqtt5Properties() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-props"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.maxPacketSize(100_000)
				.sessionExpiry(Duration.ofSeconds(90))
				.receiveMaximum(7)
				.topicAliasMaximum(4)
				.requestResponseInformation(true)
				.userProperty("site", "north")
				.userProperty("site", "south")
				.build());
			assertThat(client.connect()).isZero();
			Connect connect = decodeConnect(broker.connects().get(0));
			assertThat(connect.protocolLevel()).isEqualTo(5);
			assertThat(connect.protocolName()).isEqualTo("MQTT");
			PacketProperties properties = connect.properties();
			assertThat(properties.sessionExpiryInterval()).isEqualTo(90);
			assertThat(properties.receiveMaximum()).isEqualTo(7);
			// [MQTT-3.1.2-24]: the client's Maximum Packet Size, the server must not
			// exceed it
			assertThat(properties.maximumPacketSize()).isEqualTo(100_000);
			assertThat(properties.topicAliasMaximum()).isEqualTo(4);
			assertThat(properties.requestResponseInformation()).isEqualTo(1);
			// user properties in order, names may repeat
			assertThat(properties.userProperties()).containsExactly(new UserProperty("site", "north"),
					new UserProperty("site", "south"));
		}
	}

	@Test
	void connackLimitsAreReportedAndTheServerKeepAliveReplacesTheClients() throws Exception {
		PacketProperties limits = PacketProperties.builder()
			.receiveMaximum(3)
			.maximumQos(1)
			.retainAvailable(0)
			.maximumPacketSize(1_000)
			.topicAliasMaximum(2)
			.wildcardSubscriptionAvailable(0)
			.subscriptionIdentifierAvailable(0)
			.sharedSubscriptionAvailable(0)
			.serverKeepAlive(1)
			.responseInformation("replies/")
			.assignedClientIdentifier("given-by-server")
			.build();
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(limits, 0))) {
			// keep-alive off: only the server's 1 s makes the client ping
			MqttClient client = this.clients
				.track(MqttClient.builder("", "127.0.0.1").port(broker.port()).version(5).keepalive(0).build());
			assertThat(client.connect()).isZero();
			assertThat(client.serverLimits()).isEqualTo(
					new ServerLimits(3, 1, false, 1_000, 2, false, false, false, Duration.ofSeconds(1), "replies/"));
			assertThat(client.assignedClientId()).isEqualTo("given-by-server");
			// [MQTT-3.2.2-21, MQTT-3.1.2-21]: the client uses the server's keep-alive
			// instead of its own
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.pings() >= 2);
		}
	}

	@Test
	void aConnackWithoutPropertiesMeansTheProtocolDefaults() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))) {
			MqttClient client = this.clients.track(
					MqttClient.builder(Clients.id("v5-defaults"), "127.0.0.1").port(broker.port()).version(5).build());
			assertThat(client.connect()).isZero();
			assertThat(client.serverLimits()).isEqualTo(ServerLimits.DEFAULTS);
			assertThat(client.assignedClientId()).isNull();
		}
	}

	@Test
	void aRefusalCarriesTheReasonString() throws Exception {
		PacketProperties reason = PacketProperties.builder().reasonString("quota used up").build();
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(reason, 0x97))) {
			MqttClient client = this.clients
				.track(MqttClient.builder(Clients.id("v5-quota"), "127.0.0.1").port(broker.port()).version(5).build());
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.satisfies((ex) -> assertThat(ex.reasonCode()).isEqualTo(0x97))
				.withMessage("Connection refused: Quota exceeded (0x97): quota used up");
			// [MQTT-4.13.2-1]: after a CONNACK of 0x80 or more the connection is closed:
			// the broker keeps it open, the client closes it
			await().atMost(Duration.ofSeconds(10)).until(broker::clientClosedAll);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "20020001", "2003000100" })
	void aServerThatDoesNotSpeak5IsAFinalRefusalThatSaysSo(String connack) throws Exception {
		// a 3.1.1 server's CONNACK 0x01, bare or with a property length behind it: the
		// protocol version is refused, as by 0x84; retrying cannot help
		try (ScriptedBroker broker = ScriptedBroker.answering(HexFormat.of().parseHex(connack))) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-old-server"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.build());
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.satisfies((ex) -> assertThat(ex.reasonCode()).isEqualTo(0x84))
				.withMessageContaining("Unsupported Protocol Version (0x84)")
				.withMessageContaining("it does not speak MQTT 5; use version 4, or a broker that speaks 5");
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> broker.connections() == 1);
		}
	}

	@Test
	void version4StillSendsA311Connect() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.accepting()) {
			MqttClient client = this.clients
				.track(MqttClient.builder(Clients.id("v4"), "127.0.0.1").port(broker.port()).build());
			assertThat(client.connect()).isZero();
			byte[] connect = broker.connects().get(0);
			Connect decoded = (Connect) new PacketDecoder().decode(Unpooled.wrappedBuffer(connect));
			assertThat(decoded.protocolLevel()).isEqualTo(4);
			assertThat(decoded.properties()).isSameAs(PacketProperties.NONE);
		}
	}

	static byte[] publish(String topic, int alias, String payload) {
		ByteBuf buffer = Unpooled.buffer();
		PacketEncoder.MQTT_5.encodePublish(topic, 0, false, false, 0,
				PacketProperties.builder().topicAlias(alias).build(), payload.getBytes(), buffer);
		return ByteBufUtil.getBytes(buffer);
	}

	static byte[] concat(byte[]... parts) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	@Test
	void inboundTopicAliasesAreResolved() throws Exception {
		// [MQTT-3.3.2-10]: the client accepts every alias from 1 to its maximum
		byte[] publishes = concat(publish("v5/aliased", 2, "one"), publish("", 2, "two"),
				publish("v5/other", 1, "three"), publish("", 1, "four"));
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.sendAfterConnack(publishes)) {
			Received received = new Received();
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-alias"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.topicAliasMaximum(2)
				.dispatchThread(true)
				.build());
			client.setCallback(received);
			client.connect();
			received.awaitCount(4);
			assertThat(received.messages()).extracting((m) -> m.topic() + "=" + m.payloadAsString())
				.containsExactly("v5/aliased=one", "v5/aliased=two", "v5/other=three", "v5/other=four");
		}
	}

	@Test
	void aTopicAliasAboveTheClientsMaximumIsAProtocolError() throws Exception {
		// [MQTT-3.3.2-11]: the server must not send an alias above the client's Topic
		// Alias Maximum; the client answers DISCONNECT 0x94 and closes
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.sendAfterConnack(publish("v5/aliased", 3, "one"))) {
			java.util.List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
			Received received = new Received();
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-alias-bad"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.topicAliasMaximum(2)
				.reconn(false)
				.dispatchThread(true)
				.build());
			client.setCallback(received);
			client.errorRegisterCb(errors::add);
			client.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> !broker.disconnects().isEmpty());
			assertThat(broker.disconnects().get(0)[0] & 0xFF).isEqualTo(0x94);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(errors).anySatisfy((e) -> assertThat(e).contains("Topic Alias 3")));
			assertThat(received.messages()).isEmpty();
		}
	}

	@Test
	void anAliasNeverSetIsAProtocolError() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.sendAfterConnack(publish("", 1, "one"))) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-alias-unset"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.topicAliasMaximum(2)
				.reconn(false)
				.build());
			client.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> !broker.disconnects().isEmpty());
			assertThat(broker.disconnects().get(0)[0] & 0xFF).isEqualTo(0x82);
		}
	}

	@Test
	void theFirstPacketOnEveryConnectionIsConnect() throws Exception {
		// QoS 1 PUBLISHes never acknowledged: each new connection has one to send
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-first"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(300))
				.build());
			client.connect();
			client.publishAsync("v5/first", "one", false, 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.publishes().size() == 1);
			broker.dropAll();
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.publishes().size() >= 2);
			// [MQTT-3.1.0-1]: CONNECT first, the PUBLISH to send again after it
			assertThat(broker.received(1)).startsWith(1, 3);
			assertThat(broker.received(2)).startsWith(1, 3);
		}
	}

	@Test
	void withAKeepAliveAndNothingToSendTheClientSendsPingreq() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-ping"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.keepalive(1)
				.build());
			client.connect();
			// [MQTT-3.1.2-20]: Keep Alive 1 s, nothing else to send: PINGREQ
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.pings() >= 2);
			assertThat(broker.received(1)).containsOnly(1, 12);
		}
	}

	@Test
	void afterItsDisconnectTheClientSendsNothingMoreAndClosesTheConnection() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.readingAfterDisconnect()) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-last"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.keepalive(1)
				.build());
			client.connect();
			client.publishAsync("v5/last", "before", false, 0);
			client.disconnect();
			// [MQTT-3.14.4-2]: the client closes the connection after its DISCONNECT
			await().atMost(Duration.ofSeconds(10)).until(broker::clientClosedAll);
			// [MQTT-3.14.4-1]: and sends nothing after it
			assertThat(broker.received(1)).endsWith(14).containsOnlyOnce(14);
			// a reason code at most: no Reason String [MQTT-3.14.2-3] nor User Property
			// [MQTT-3.14.2-4] that could outgrow the server's Maximum Packet Size
			assertThat(broker.disconnects().get(0).length).isLessThanOrEqualTo(1);
			assertThat(broker.connections()).isOne();
		}
	}

	@Test
	void sessionPresentAfterCleanStartClosesTheConnection() throws Exception {
		// [MQTT-3.2.2-4]: after Clean Start 1 the client holds no session state, so a
		// CONNACK with Session Present 1 makes it close the connection
		try (ScriptedBroker broker = ScriptedBroker.answering(new byte[] { 0x20, 0x03, 0x01, 0x00, 0x00 })) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-present"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.reconn(false)
				.build());
			assertThatExceptionOfType(MqttException.class).isThrownBy(() -> client.connect(true))
				.withMessageContaining("[MQTT-3.2.2-4]");
			await().atMost(Duration.ofSeconds(10)).until(broker::clientClosedAll);
			assertThat(client.status()).isNotEqualTo(MqttStatus.CONNECTED);
		}
	}

	@Test
	void disconnectSendsNormalDisconnection() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))) {
			MqttClient client = MqttClient.builder(Clients.id("v5-bye"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.build();
			client.connect();
			client.disconnect();
			await().atMost(Duration.ofSeconds(10)).until(() -> !broker.disconnects().isEmpty());
			// reason 0x00 (Normal disconnection), which may be left out with no
			// properties
			// (MQTT 5, 3.14.2.1)
			byte[] body = broker.disconnects().get(0);
			assertThat(body.length == 0 || body[0] == 0).isTrue();
		}
	}

}
