package io.umqtt.core.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.umqtt.core.LastWill;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttProperties;
import io.umqtt.core.UserProperty;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.Will;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The last will on MQTT 5: its Will Delay Interval and will properties in CONNECT, and
 * what Mosquitto 2.0 does with them; refused on 3.1.1.
 */
class Mqtt5WillIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	static LastWill will(String topic, String message, Duration delay, MqttProperties properties) {
		return new LastWill(topic, message.getBytes(StandardCharsets.UTF_8), false, 1, delay, properties);
	}

	@Test
	void connectCarriesTheWillDelayAndTheWillProperties() throws Exception {
		// [MQTT-3.1.3-9] and 3.1.3.2: the Will Delay Interval and the will properties
		// come before the will topic in the CONNECT payload
		MqttProperties properties = MqttProperties.builder()
			.payloadFormatUtf8(true)
			.messageExpiry(Duration.ofSeconds(600))
			.contentType("text/plain")
			.responseTopic("v5/will/replies")
			.correlationData(new byte[] { 1, 2, 3 })
			.userProperty("reason", "crash")
			.userProperty("reason", "again")
			.build();
		try (ScriptedBroker broker = ScriptedBroker
			.answering(Mqtt5ConnectIntegrationTests.connack(PacketProperties.NONE, 0))) {
			MqttClient client = this.clients
				.track(MqttClient.builder(Clients.id("v5-will"), "127.0.0.1").port(broker.port()).version(5).build());
			client.setLastWill(will("v5/will/props", "gone", Duration.ofMillis(29_500), properties));
			client.connect();
			Connect connect = Mqtt5ConnectIntegrationTests.decodeConnect(broker.connects().get(0));
			Will will = connect.will();
			assertThat(will.topic()).isEqualTo("v5/will/props");
			assertThat(will.qos()).isOne();
			// whole seconds, rounded up
			assertThat(will.delaySeconds()).isEqualTo(30);
			PacketProperties sent = will.properties();
			assertThat(sent.payloadFormatIndicator()).isOne();
			assertThat(sent.messageExpiryInterval()).isEqualTo(600);
			assertThat(sent.contentType()).isEqualTo("text/plain");
			assertThat(sent.responseTopic()).isEqualTo("v5/will/replies");
			assertThat(sent.correlationData()).containsExactly(1, 2, 3);
			assertThat(sent.userProperties()).containsExactly(new UserProperty("reason", "crash"),
					new UserProperty("reason", "again"));
		}
	}

	@Test
	void aPlainWillSendsNoWillProperties() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker
			.answering(Mqtt5ConnectIntegrationTests.connack(PacketProperties.NONE, 0))) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-will-plain"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.build());
			client.setLastWill("v5/will/plain", "gone", true, 2);
			client.connect();
			Will will = Mqtt5ConnectIntegrationTests.decodeConnect(broker.connects().get(0)).will();
			assertThat(will.retain()).isTrue();
			assertThat(will.properties()).isSameAs(PacketProperties.NONE);
		}
	}

	@Test
	void aWillWithADelayOrPropertiesIsRefusedOnMqtt311() {
		MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v4-will"), "127.0.0.1").build());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> client.setLastWill(will("v4/will", "gone", Duration.ofSeconds(5), MqttProperties.NONE)))
			.withMessageContaining("needs MQTT 5");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> client.setLastWill(
					will("v4/will", "gone", Duration.ZERO, MqttProperties.builder().contentType("text/plain").build())))
			.withMessageContaining("needs MQTT 5");
		assertThat(client.lastWill()).isNull();
		// a will 3.1.1 can carry is taken
		client.setLastWill(new LastWill("v4/will", new byte[] { 1 }, false, 1));
		assertThat(client.lastWill().delay()).isZero();
		assertThat(client.lastWill().properties()).isSameAs(MqttProperties.NONE);
	}

	@Test
	void aWillDelayIsWholeSecondsWithinTheFourByteRange() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> will("v5/will", "x", Duration.ofSeconds(-1), MqttProperties.NONE));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> will("v5/will", "x", Duration.ofSeconds(0x1_0000_0000L), MqttProperties.NONE));
		assertThat(will("v5/will", "x", Duration.ofSeconds(0xFFFF_FFFFL), MqttProperties.NONE).delay())
			.isEqualTo(Duration.ofSeconds(0xFFFF_FFFFL));
		assertThatIllegalArgumentException().isThrownBy(
				() -> will("v5/will", "x", Duration.ZERO, MqttProperties.builder().subscriptionIdentifier(1).build()));
	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
	class OnMosquitto {

		private MqttClient dying(MqttBroker broker, String prefix) {
			return Mqtt5WillIntegrationTests.this.clients.make(broker, prefix,
					(b) -> b.version(5).sessionExpiry(Duration.ofMinutes(1)).reconn(false));
		}

		@Test
		void aClientBackWithinTheWillDelayHasNoWillPublished(MqttBroker broker) throws Exception {
			// [MQTT-3.1.3-9]: a new connection to the session before the Will Delay
			// Interval has passed: the server must not send the will
			try (RawMqtt5Subscriber watcher = RawMqtt5Subscriber.subscribe(broker.host(), broker.port(),
					"v5/will/back/#")) {
				MqttClient client = dying(broker, "v5-will-back");
				client.setLastWill(will("v5/will/back", "gone", Duration.ofSeconds(3), MqttProperties.NONE));
				client.connect(false);
				client.close();
				client.connect(false);
				assertThat(client.isSessionPresent()).isTrue();
				await().during(Duration.ofSeconds(5))
					.atMost(Duration.ofSeconds(7))
					.until(() -> watcher.received().isEmpty());
			}
		}

		@Test
		void aClientNotBackHasItsWillPublishedAfterTheDelay(MqttBroker broker) throws Exception {
			// 3.1.3.2.2: the server delays publishing the will by the Will Delay Interval
			try (RawMqtt5Subscriber watcher = RawMqtt5Subscriber.subscribe(broker.host(), broker.port(),
					"v5/will/gone/#")) {
				MqttClient client = dying(broker, "v5-will-gone");
				client.setLastWill(will("v5/will/gone", "gone", Duration.ofSeconds(2), MqttProperties.NONE));
				client.connect(false);
				long killed = System.nanoTime();
				client.close();
				await().atMost(Duration.ofSeconds(10)).until(() -> !watcher.received().isEmpty());
				assertThat(Duration.ofNanos(System.nanoTime() - killed))
					.isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
				assertThat(watcher.received().get(0).payloadAsString()).isEqualTo("gone");
			}
		}

		@Test
		void theWillPropertiesReachAnMqtt5Subscriber(MqttBroker broker) throws Exception {
			// [MQTT-3.1.3-10]: the server maintains the order of the user properties
			// when it publishes the will
			try (RawMqtt5Subscriber watcher = RawMqtt5Subscriber.subscribe(broker.host(), broker.port(),
					"v5/will/props/#")) {
				MqttClient client = dying(broker, "v5-will-props");
				client.setLastWill(will("v5/will/props", "{\"state\":\"offline\"}", Duration.ZERO,
						MqttProperties.builder()
							.contentType("application/json")
							.userProperty("device", "d-7")
							.userProperty("cause", "crash")
							.build()));
				client.connect(true);
				client.close();
				await().atMost(Duration.ofSeconds(10)).until(() -> !watcher.received().isEmpty());
				RawMqtt5Subscriber.Received will = watcher.received().get(0);
				assertThat(will.payloadAsString()).isEqualTo("{\"state\":\"offline\"}");
				assertThat(will.properties().contentType()).isEqualTo("application/json");
				assertThat(will.properties().userProperties()).containsExactly(new UserProperty("device", "d-7"),
						new UserProperty("cause", "crash"));
			}
		}

	}

}
