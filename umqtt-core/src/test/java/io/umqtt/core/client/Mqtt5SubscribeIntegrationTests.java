package io.umqtt.core.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import io.umqtt.core.SubscribeOptions;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.packet.Subscribe;
import io.umqtt.core.packet.Subscription;
import io.umqtt.core.packet.UnsubAck;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.umqtt.core.client.Mqtt5ConnectIntegrationTests.connack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 subscriptions: subscription options against Mosquitto 2.0, SUBACK and UNSUBACK
 * reason codes and the server's Wildcard and Shared Subscription Available against the
 * scripted broker.
 */
class Mqtt5SubscribeIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	static byte[] bytes(Packet packet) {
		ByteBuf buffer = Unpooled.buffer();
		PacketEncoder.MQTT_5.encode(packet, buffer);
		return ByteBufUtil.getBytes(buffer);
	}

	static int packetId(byte[] body) {
		return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
	}

	static Subscribe decodeSubscribe(byte[] whole) {
		return (Subscribe) new PacketDecoder(PacketDecoder.DEFAULT_MAX_PACKET_SIZE, 5)
			.decode(Unpooled.wrappedBuffer(whole));
	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
	class OnMosquitto {

		private MqttClient client(MqttBroker broker, String prefix) {
			MqttClient client = Mqtt5SubscribeIntegrationTests.this.clients.make(broker, prefix,
					(b) -> b.version(5).dispatchThread(true));
			client.connect();
			return client;
		}

		@Test
		void noLocalKeepsTheClientsOwnPublicationsAway(MqttBroker broker) {
			// [MQTT-3.8.3-3] No Local: not forwarded to the connection that published it
			MqttClient client = client(broker, "v5-nolocal");
			MqttClient other = client(broker, "v5-nolocal-other");
			Received received = new Received();
			assertThat(client.subscribeAsync("v5/nolocal", 1, new SubscribeOptions(true, false, 0), received))
				.succeedsWithin(Duration.ofSeconds(10))
				.isEqualTo(1);
			assertThat(client.publish("v5/nolocal", "own", false, 1)).isTrue();
			assertThat(other.publish("v5/nolocal", "other", false, 1)).isTrue();
			received.awaitCount(1);
			// the own message was published first: had it come, it would be here too
			assertThat(client.publish("v5/nolocal", "own again", false, 1)).isTrue();
			assertThat(other.publish("v5/nolocal", "other again", false, 1)).isTrue();
			received.awaitCount(2);
			assertThat(received.payloads()).containsExactly("other", "other again");
		}

		@Test
		void retainAsPublishedKeepsTheRetainFlag(MqttBroker broker) {
			// [MQTT-3.3.1-12] Retain As Published 0: RETAIN cleared; [MQTT-3.3.1-13] 1:
			// kept
			MqttClient client = client(broker, "v5-rap");
			Received kept = new Received();
			Received cleared = new Received();
			client.subscribeAsync("v5/rap/kept", 1, new SubscribeOptions(false, true, 0), kept).join();
			client.subscribeAsync("v5/rap/cleared", 1, SubscribeOptions.DEFAULT, cleared).join();
			assertThat(client.publish("v5/rap/kept", "r", true, 1)).isTrue();
			assertThat(client.publish("v5/rap/cleared", "r", true, 1)).isTrue();
			kept.awaitCount(1);
			cleared.awaitCount(1);
			assertThat(kept.messages().get(0).retain()).isTrue();
			assertThat(cleared.messages().get(0).retain()).isFalse();
			client.publish("v5/rap/kept", new byte[0], true, 1);
			client.publish("v5/rap/cleared", new byte[0], true, 1);
		}

		@Test
		void retainHandlingChoosesWhenRetainedMessagesAreSent(MqttBroker broker) {
			// [MQTT-3.3.1-9] 0: sent at every subscribe; [MQTT-3.3.1-10] 1: only for a
			// new subscription; [MQTT-3.3.1-11] 2: never
			MqttClient publisher = client(broker, "v5-rh-pub");
			for (int handling = 0; handling <= 2; handling++) {
				assertThat(publisher.publish("v5/rh/" + handling, "retained " + handling, true, 1)).isTrue();
			}
			assertThat(publisher.publish("v5/rh/marker", "marker", true, 1)).isTrue();
			MqttClient client = client(broker, "v5-rh");
			// a listener per subscription: each gets what every later one on its
			// filter gets too
			Received[][] received = new Received[2][3];
			for (int round = 0; round < 2; round++) {
				for (int handling = 0; handling <= 2; handling++) {
					received[round][handling] = new Received();
					client
						.subscribeAsync("v5/rh/" + handling, 1, new SubscribeOptions(false, false, handling),
								received[round][handling])
						.join();
				}
				if (round == 0) {
					// the first round's retained messages are in before the second
					// round's listeners come
					received[0][0].awaitCount(1);
					received[0][1].awaitCount(1);
				}
			}
			// Mosquitto sends in order: once the marker is in, the others are too
			Received marker = new Received();
			client.subscribeAsync("v5/rh/marker", 1, SubscribeOptions.DEFAULT, marker).join();
			marker.awaitCount(1);
			assertThat(received[0][0].payloads()).containsExactly("retained 0", "retained 0");
			assertThat(received[1][0].payloads()).containsExactly("retained 0");
			assertThat(received[0][1].payloads()).containsExactly("retained 1");
			assertThat(received[1][1].messages()).isEmpty();
			assertThat(received[0][2].messages()).isEmpty();
			assertThat(received[1][2].messages()).isEmpty();
			publisher.publish("v5/rh/marker", new byte[0], true, 1);
			for (int handling = 0; handling <= 2; handling++) {
				publisher.publish("v5/rh/" + handling, new byte[0], true, 1);
			}
		}

		@Test
		void optionsAreSentAgainWhenTheSubscriptionIsRenewed(MqttBroker broker) {
			// no session kept (session expiry 0): a reconnect renews the subscription
			MqttClient client = client(broker, "v5-renew");
			MqttClient other = client(broker, "v5-renew-other");
			Received received = new Received();
			client.subscribeAsync("v5/renew", 1, new SubscribeOptions(true, false, 0), received).join();
			broker.kill();
			broker.start();
			await().atMost(Duration.ofSeconds(20))
				.until(() -> client.status() == MqttStatus.CONNECTED && other.status() == MqttStatus.CONNECTED
						&& client.subscriptions().containsKey("v5/renew"));
			await().atMost(Duration.ofSeconds(10)).until(() -> client.inflightCount() == 0);
			assertThat(client.publish("v5/renew", "own", false, 1)).isTrue();
			assertThat(other.publish("v5/renew", "other", false, 1)).isTrue();
			received.awaitCount(1);
			assertThat(client.publish("v5/renew", "own again", false, 1)).isTrue();
			assertThat(other.publish("v5/renew", "other again", false, 1)).isTrue();
			received.awaitCount(2);
			assertThat(received.payloads()).containsExactly("other", "other again");
		}

	}

	@Test
	void aSubackWithMoreReasonCodesThanTopicFiltersIsAProtocolViolation() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.answeringSubscribes((body) -> bytes(new SubAck(packetId(body), List.of(1, 1), PacketProperties.NONE)))) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-suback-count"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.build());
			client.connect();
			// [MQTT-3.8.4-6]: a SUBACK has one reason code per topic filter
			assertThatExceptionOfType(MqttException.class).isThrownBy(() -> client.subscribe("v5/one", 1))
				.withMessageContaining("2 return codes for 1 topic filters");
			// and the connection it came on is closed
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.connections() >= 2 || broker.clientClosedAll());
		}
	}

	@Test
	void aSubackReasonCodeFailsTheSubscriptionWithItAndTheReasonString() throws Exception {
		// [MQTT-3.9.3-1] one reason code per filter; 0x80 and above are failures
		PacketProperties reason = PacketProperties.builder().reasonString("no such tenant").build();
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.answeringSubscribes((body) -> bytes(new SubAck(packetId(body), List.of(0x87), reason)))) {
			MqttClient client = this.clients
				.track(MqttClient.builder(Clients.id("v5-suback"), "127.0.0.1").port(broker.port()).version(5).build());
			client.connect();
			assertThatExceptionOfType(MqttException.class).isThrownBy(() -> client.subscribe("v5/denied", 1))
				.withMessageContaining("Not authorized (0x87): no such tenant")
				.satisfies((ex) -> assertThat(ex.reasonCode()).isEqualTo(0x87))
				.satisfies((ex) -> assertThat(ex.returnCode()).isEqualTo(0x87));
			assertThat(client.refusedSubscriptions()).containsExactly("v5/denied");
			assertThat(client.status()).isEqualTo(MqttStatus.CONNECTED);
		}
	}

	@Test
	void theOptionsGoOutInTheSubscribe() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.answeringSubscribes((body) -> bytes(new SubAck(packetId(body), List.of(1), PacketProperties.NONE)))) {
			MqttClient client = this.clients
				.track(MqttClient.builder(Clients.id("v5-opts"), "127.0.0.1").port(broker.port()).version(5).build());
			client.connect();
			assertThat(client.subscribe("v5/opts", 2, new SubscribeOptions(true, true, 2))).isEqualTo(1);
			Subscribe sent = decodeSubscribe(broker.subscribes().get(0));
			assertThat(sent.subscriptions())
				.containsExactly(new Subscription("v5/opts", 2, new SubscribeOptions(true, true, 2)));
		}
	}

	@Test
	void anUnsubackReasonCodeFailsTheUnsubscribe() throws Exception {
		// [MQTT-3.11.3-1] one reason code per filter
		PacketProperties reason = PacketProperties.builder().reasonString("keep it").build();
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.answeringSubscribes((body) -> bytes(new SubAck(packetId(body), List.of(0), PacketProperties.NONE)))
			.answeringUnsubscribes((body) -> bytes(new UnsubAck(packetId(body), List.of(0x87), reason)))) {
			MqttClient client = this.clients.track(
					MqttClient.builder(Clients.id("v5-unsuback"), "127.0.0.1").port(broker.port()).version(5).build());
			client.connect();
			client.subscribe("v5/stay", 0);
			assertThatExceptionOfType(MqttException.class).isThrownBy(() -> client.unsubscribe("v5/stay"))
				.withMessageContaining("Not authorized (0x87): keep it")
				.satisfies((ex) -> assertThat(ex.reasonCode()).isEqualTo(0x87));
		}
	}

	@Test
	void noSubscriptionExistedIsNoFailure() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.answeringUnsubscribes(
					(body) -> bytes(new UnsubAck(packetId(body), List.of(0x11), PacketProperties.NONE)))) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-unsub-none"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.build());
			client.connect();
			client.unsubscribe("v5/never");
		}
	}

	@Test
	void wildcardAndSharedSubscriptionsTheServerCannotTakeFailBeforeSending() throws Exception {
		// Wildcard / Shared Subscription Available 0 (3.2.2.3.11, 3.2.2.3.13): the server
		// would
		// answer 0xA2 / 0x9E; the client does not send them
		PacketProperties limits = PacketProperties.builder()
			.wildcardSubscriptionAvailable(0)
			.sharedSubscriptionAvailable(0)
			.build();
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(limits, 0))
			.answeringSubscribes((body) -> bytes(new SubAck(packetId(body), List.of(0), PacketProperties.NONE)))) {
			MqttClient client = this.clients
				.track(MqttClient.builder(Clients.id("v5-nowild"), "127.0.0.1").port(broker.port()).version(5).build());
			client.connect();
			assertThatExceptionOfType(MqttException.class).isThrownBy(() -> client.subscribe("v5/+", 0))
				.withMessageContaining("Wildcard Subscription Available");
			assertThatExceptionOfType(MqttException.class).isThrownBy(() -> client.subscribe("v5/#", 0));
			CompletableFuture<Integer> shared = client.subscribeAsync("$share/g/v5/x", 0, SubscribeOptions.DEFAULT,
					new Received());
			assertThat(shared).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.withMessageContaining("Shared Subscription Available");
			assertThat(client.subscribe("v5/plain", 0)).isZero();
			assertThat(broker.subscribes()).hasSize(1);
			assertThat(client.status()).isEqualTo(MqttStatus.CONNECTED);
		}
	}

	@Test
	void noLocalOnASharedSubscriptionIsRefused() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))) {
			MqttClient client = this.clients.track(
					MqttClient.builder(Clients.id("v5-shared-nl"), "127.0.0.1").port(broker.port()).version(5).build());
			client.connect();
			// [MQTT-3.8.3-4]
			assertThatIllegalArgumentException()
				.isThrownBy(() -> client.subscribe("$share/g/v5/x", 0, new SubscribeOptions(true, false, 0)))
				.withMessageContaining("[MQTT-3.8.3-4]");
			assertThat(broker.subscribes()).isEmpty();
		}
	}

	@Test
	void onVersion4OptionsAreRefusedAnd0x80StaysTheCode() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.accepting()) {
			MqttClient client = this.clients
				.track(MqttClient.builder(Clients.id("v4-opts"), "127.0.0.1").port(broker.port()).build());
			client.connect();
			assertThatIllegalArgumentException()
				.isThrownBy(() -> client.subscribe("v4/x", 0, new SubscribeOptions(true, false, 0)));
			assertThatExceptionOfType(MqttException.class).isThrownBy(() -> client.subscribe("v4/x", 0))
				.withMessage("The broker refused the subscription to 'v4/x'")
				.satisfies((ex) -> assertThat(ex.reasonCode()).isEqualTo(0x80))
				.satisfies((ex) -> assertThat(ex.returnCode()).isEqualTo(0x80));
		}
	}

}
