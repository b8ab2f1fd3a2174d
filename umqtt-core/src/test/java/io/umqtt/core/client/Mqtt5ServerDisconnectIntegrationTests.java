package io.umqtt.core.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import io.umqtt.core.SubscribeOptions;
import io.umqtt.core.packet.Disconnect;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.umqtt.core.client.Mqtt5ConnectIntegrationTests.connack;
import static io.umqtt.core.client.Mqtt5SubscribeIntegrationTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5: a DISCONNECT from the server ends the connection with its reason; internal
 * reconnection follows unless the code says a retry cannot help, and never in a tight
 * loop after a session take-over. {@code disconnectWithWill()} has the will published.
 */
class Mqtt5ServerDisconnectIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	static byte[] disconnect(int reasonCode, String reasonString) {
		PacketProperties properties = (reasonString != null)
				? PacketProperties.builder().reasonString(reasonString).build() : PacketProperties.NONE;
		return bytes(new Disconnect(reasonCode, properties));
	}

	@ParameterizedTest(name = "DISCONNECT {0}: no reconnection [MQTT-3.14.2.1]")
	@ValueSource(ints = { 0x87, 0x9C, 0x9D })
	void aCodeARetryCannotFixEndsTheConnectionForGood(int code) throws Exception {
		// the subscription is answered with the DISCONNECT: its waiter fails with the
		// code
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.answeringSubscribes((body) -> disconnect(code, "go away"))) {
			List<String> errors = new CopyOnWriteArrayList<>();
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-dis-final"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
				.build());
			client.errorRegisterCb(errors::add);
			client.connect();
			CompletableFuture<Integer> waiting = client.subscribeAsync("v5/x", 0, SubscribeOptions.DEFAULT,
					new Received());
			assertThat(waiting).failsWithin(Duration.ofSeconds(10))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(MqttException.class)
				.satisfies((ex) -> assertThat(((MqttException) ex).reasonCode()).isEqualTo(code))
				.withMessageStartingWith("disconnected by server: ")
				.withMessageEndingWith(String.format("(0x%02X): go away", code));
			await().atMost(Duration.ofSeconds(5)).until(() -> client.getMqttsta() == 2);
			assertThat(errors).anySatisfy((e) -> assertThat(e).startsWith("disconnected by server: ")
				.endsWith(String.format("(0x%02X): go away", code)));
			// [MQTT-4.13.2-1]: after a DISCONNECT of 0x80 or more the connection is
			// closed: the broker keeps it open, the client closes it
			await().atMost(Duration.ofSeconds(10)).until(broker::clientClosedAll);
			// reconnection would come within 100 ms
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(3))
				.until(() -> broker.connections() == 1 && client.getMqttsta() == 2);
		}
	}

	@Test
	void anotherCodeReconnectsAsAfterALostConnection() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.sendAfterConnack(disconnect(0x8B, null))) {
			List<String> errors = new CopyOnWriteArrayList<>();
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-dis-retry"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
				.build());
			client.errorRegisterCb(errors::add);
			client.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.connections() >= 3);
			assertThat(errors).contains("disconnected by server: Server shutting down (0x8B)");
		}
	}

	@Test
	void withoutReconnectionTheStatusIsClosedByServer() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.sendAfterConnack(disconnect(0x89, "busy"))) {
			List<String> errors = new CopyOnWriteArrayList<>();
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-dis-noreconn"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.reconn(false)
				.build());
			client.errorRegisterCb(errors::add);
			assertThat(client.lastDisconnect()).isNull();
			client.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() == 2);
			assertThat(errors).containsExactly("disconnected by server: Server busy (0x89): busy");
			assertThat(client.lastDisconnect()).isEqualTo("Server busy (0x89)");
			assertThat(client.status()).isEqualTo(MqttStatus.SERVER_CLOSED);
		}
	}

	@Test
	void aServersDisconnectWithASessionExpiryIntervalIsAProtocolError() throws Exception {
		// [MQTT-3.14.2-2]: only a client sends Session Expiry Interval on DISCONNECT
		byte[] withExpiry = bytes(new Disconnect(0x89, PacketProperties.builder().sessionExpiryInterval(30).build()));
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.sendAfterConnack(withExpiry)) {
			List<String> errors = new CopyOnWriteArrayList<>();
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-dis-expiry"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.reconn(false)
				.build());
			client.errorRegisterCb(errors::add);
			client.connect();
			// closed by this side on the violation, not by the server
			await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() == -1 && !errors.isEmpty());
			assertThat(errors).containsExactly("Protocol violation: the server's DISCONNECT (Server busy (0x89)) "
					+ "carries a Session Expiry Interval, which only a client may send [MQTT-3.14.2-2]");
			// not taken as the server's reason
			assertThat(client.lastDisconnect()).isNull();
		}
	}

	@Test
	void aSessionTakenOverAgainAndAgainIsRetriedWithAGrowingDelay() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.sendAfterConnack(disconnect(0x8E, null))) {
			List<String> errors = new CopyOnWriteArrayList<>();
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-dis-takeover"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.reconnectDelay(Duration.ofMillis(50), Duration.ofSeconds(1))
				.build());
			client.errorRegisterCb(errors::add);
			client.connect();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> errors.contains("disconnected by server: Session taken over (0x8E)"));
			// with the first delay again after each accepted connection: some 40 in 3 s
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> broker.connections() <= 15);
			assertThat(broker.connections()).isGreaterThan(2);
		}
	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
	class OnMosquitto {

		@Test
		void twoClientsOfOneIdDoNotTakeTheSessionFromEachOtherInATightLoop(MqttBroker broker) {
			// the second CONNECT of an id takes the session over [MQTT-3.1.4-3]:
			// Mosquitto 2.0 closes the first connection (without DISCONNECT 0x8E); each
			// reconnect takes the session back
			String id = Clients.id("v5-takeover");
			MqttClient first = client(broker, id);
			MqttClient second = client(broker, id);
			first.connect();
			second.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> first.reconnectCount() >= 1);
			// with a fresh 50-100 ms delay after each accepted connection they would
			// reconnect some 60 times each in 6 s; the back-off grows instead
			await().during(Duration.ofSeconds(6))
				.atMost(Duration.ofSeconds(8))
				.until(() -> first.reconnectCount() + second.reconnectCount() <= 24);
			assertThat(first.reconnectCount() + second.reconnectCount()).isGreaterThan(1);
		}

		@Test
		void disconnectWithWillHasTheWillPublished(MqttBroker broker) {
			// DISCONNECT 0x04: the server publishes the will [MQTT-3.14.4-3 for 0x00]
			Received wills = new Received();
			MqttClient watcher = Mqtt5ServerDisconnectIntegrationTests.this.clients.make(broker, "v5-will-watch",
					(b) -> b.version(5).dispatchThread(true));
			watcher.connect();
			watcher.subscribeAsync("v5/will/#", 1, SubscribeOptions.DEFAULT, wills).join();
			MqttClient polite = Mqtt5ServerDisconnectIntegrationTests.this.clients.make(broker, "v5-will-polite",
					(b) -> b.version(5));
			polite.setLastWill("v5/will/polite", "polite", false, 1);
			polite.connect();
			polite.disconnect();
			MqttClient leaving = Mqtt5ServerDisconnectIntegrationTests.this.clients.make(broker, "v5-will-leaving",
					(b) -> b.version(5));
			leaving.setLastWill("v5/will/leaving", "gone", false, 1);
			leaving.connect();
			leaving.disconnectWithWill();
			wills.awaitCount(1);
			// the polite one's will would have come first
			assertThat(wills.payloads()).containsExactly("gone");
			assertThat(leaving.getMqttsta()).isNotEqualTo(1);
		}

		private MqttClient client(MqttBroker broker, String id) {
			return Mqtt5ServerDisconnectIntegrationTests.this.clients.track(MqttClient.builder(id, broker.host())
				.port(broker.port())
				.version(5)
				.reconnectDelay(Duration.ofMillis(100), Duration.ofSeconds(2))
				.build());
		}

	}

	/**
	 * Poison-publish rule, MQTT 5: a server that does not accept a PUBLISH ends the
	 * connection with a DISCONNECT naming why (here 0x99 Payload format invalid), as MQTT
	 * 5 has it, rather than with a bare close. The publish must still fail after
	 * {@code maxPublishAttempts}, and the healthy publishes behind it be delivered.
	 */
	@Test
	void aPublishTheServerAnswersWithADisconnectFailsAndTheOthersGoOn() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker
			.answeringEach((n) -> Mqtt5ServerLimitsIntegrationTests.resumingConnack(n > 1, 10))
			.answeringPublishes(0)
			.disconnectingOnPublishTo("v5/poison", 0x99)) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-dis-poison"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.sessionExpiry(Duration.ofHours(1))
				.maxPublishAttempts(2)
				.publishTimeout(Duration.ofSeconds(60))
				.reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(50))
				.build());
			client.connect(false);
			CompletableFuture<Void> poison = client.publishAsync("v5/poison", "bad".getBytes(), false, 1);
			List<CompletableFuture<Void>> healthy = new java.util.ArrayList<>();
			for (int i = 0; i < 3; i++) {
				healthy.add(client.publishAsync("v5/fine", ("m" + i).getBytes(), false, 1));
			}
			try {
				await().atMost(Duration.ofSeconds(20))
					.until(() -> poison.isDone() && healthy.stream().allMatch(CompletableFuture::isDone));
			}
			finally {
				System.out.println(
						"v5-dis-poison reconnects=" + client.reconnectCount() + " connections=" + broker.connections()
								+ " publishes=" + broker.publishes().size() + " poisonDone=" + poison.isDone()
								+ " healthyDone=" + healthy.stream().filter(CompletableFuture::isDone).count());
			}
			assertThat(poison).failsWithin(Duration.ZERO)
				.withThrowableThat()
				.havingCause()
				.withMessageContaining("the broker rejects it");
			for (CompletableFuture<Void> future : healthy) {
				assertThat(future).isCompletedWithValue(null);
			}
		}
	}

	/**
	 * A QoS 0 publish made while the rejected one is sent alone does not hide it: it
	 * waits behind it, so the server's DISCONNECT follows the rejected PUBLISH with
	 * nothing written in between, and it fails after {@code maxPublishAttempts}. Written
	 * at once, each close would blame nothing and the publish go again on every
	 * connection.
	 */
	@Test
	void aQos0PublishBehindTheRejectedOneDoesNotHideIt() throws Exception {
		AtomicReference<MqttClient> publisher = new AtomicReference<>();
		try (ScriptedBroker broker = ScriptedBroker
			.answeringEach((n) -> Mqtt5ServerLimitsIntegrationTests.resumingConnack(n > 1, 10))
			.answeringPublishes(0)
			.disconnectingOnPublishTo("v5/poison", 0x99)
			.rejectingAfterTheNextPacket(Duration.ofMillis(300),
					() -> publisher.get().publishAsync("v5/zero", "z".getBytes(), false, 0))) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-dis-qos0"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.sessionExpiry(Duration.ofHours(1))
				.maxPublishAttempts(2)
				.publishTimeout(Duration.ofSeconds(60))
				.reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(50))
				.build());
			publisher.set(client);
			client.connect(false);
			CompletableFuture<Void> poison = client.publishAsync("v5/poison", "bad".getBytes(), false, 1);
			List<CompletableFuture<Void>> healthy = new java.util.ArrayList<>();
			for (int i = 0; i < 3; i++) {
				healthy.add(client.publishAsync("v5/fine", ("m" + i).getBytes(), false, 1));
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> poison.isDone() && healthy.stream().allMatch(CompletableFuture::isDone));
			assertThat(poison).failsWithin(Duration.ZERO)
				.withThrowableThat()
				.havingCause()
				.withMessageContaining("the broker rejects it");
			for (CompletableFuture<Void> future : healthy) {
				assertThat(future).isCompletedWithValue(null);
			}
			assertThat(client.reconnectCount()).isLessThan(10);
		}
	}

	/**
	 * The other side of the rejected-PUBLISH ones above: a DISCONNECT whose code says
	 * nothing of a PUBLISH (0x89 Server busy) right after one blames none, however often.
	 */
	@Test
	void aDisconnectNotNamingAPublishBlamesNone() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker
			.answeringEach((n) -> Mqtt5ServerLimitsIntegrationTests.resumingConnack(n > 1, 10))
			.answeringPublishes(0)
			.disconnectingOnPublishTo("v5/busy", 0x89)) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-dis-busy"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.sessionExpiry(Duration.ofHours(1))
				.maxPublishAttempts(1)
				.publishTimeout(Duration.ofSeconds(60))
				.reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(50))
				.build());
			client.connect(false);
			CompletableFuture<Void> busy = client.publishAsync("v5/busy", "x".getBytes(), false, 1);
			await().atMost(Duration.ofSeconds(20)).until(() -> client.reconnectCount() >= 6);
			assertThat(busy).isNotDone();
		}
	}

}
