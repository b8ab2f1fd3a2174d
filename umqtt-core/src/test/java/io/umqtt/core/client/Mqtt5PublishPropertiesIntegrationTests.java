package io.umqtt.core.client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttProperties;
import io.umqtt.core.MqttStatus;
import io.umqtt.core.UserProperty;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.store.FileSessionStore;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 message properties on publish and receive: what the application sets arrives at
 * the subscriber in {@link MqttMessage#properties()}, and a message in flight keeps its
 * properties through a restart with the persistent store.
 */
class Mqtt5PublishPropertiesIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	static MqttProperties all() {
		return MqttProperties.builder()
			.payloadFormatUtf8(true)
			.messageExpiry(Duration.ofHours(1))
			.contentType("application/json")
			.responseTopic("v5/replies/here")
			.correlationData(new byte[] { 1, 2, 3, 0, -1 })
			.userProperty("b", "2")
			.userProperty("a", "1")
			.userProperty("b", "3")
			.build();
	}

	static Publish decodePublish(byte[] bytes) {
		return (Publish) new PacketDecoder(PacketDecoder.DEFAULT_MAX_PACKET_SIZE, 5)
			.decode(Unpooled.wrappedBuffer(bytes));
	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
	class OnMosquitto {

		@Test
		void everyPropertyArrivesAsPublishedUserPropertiesInOrder(MqttBroker broker) {
			// [MQTT-3.3.2-15] response topic, [MQTT-3.3.2-16] correlation data,
			// [MQTT-3.3.2-17] user properties in order, [MQTT-3.3.2-20] content type,
			// [MQTT-3.3.2-4] payload format indicator unaltered
			Clients clients = Mqtt5PublishPropertiesIntegrationTests.this.clients;
			MqttClient subscriber = clients.make(broker, "v5-props-sub", (b) -> b.version(5).dispatchThread(true));
			subscriber.connect();
			Received received = new Received();
			assertThat(subscriber.subscribe("v5/props", 2, received)).isEqualTo(2);
			MqttClient publisher = clients.make(broker, "v5-props-pub", (b) -> b.version(5));
			publisher.connect();
			MqttProperties sent = all();
			byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
			assertThat(publisher.publish("v5/props", payload, false, 0, sent)).isTrue();
			assertThat(publisher.publishAsync("v5/props", payload, false, 1, sent))
				.succeedsWithin(Duration.ofSeconds(10));
			assertThat(publisher.publish("v5/props", payload, false, 2, sent)).isTrue();
			received.awaitCount(3);
			for (MqttMessage message : received.messages()) {
				MqttProperties properties = message.properties();
				assertThat(properties.payloadFormatUtf8()).isTrue();
				assertThat(properties.contentType()).isEqualTo("application/json");
				assertThat(properties.responseTopic()).isEqualTo("v5/replies/here");
				assertThat(properties.correlationData()).containsExactly(1, 2, 3, 0, -1);
				assertThat(properties.userProperties()).containsExactly(new UserProperty("b", "2"),
						new UserProperty("a", "1"), new UserProperty("b", "3"));
				// the broker sends what is left of the interval [MQTT-3.3.2-6]
				assertThat(properties.messageExpiry()).isBetween(Duration.ofSeconds(3590), Duration.ofHours(1));
				// the identifier the client gave its subscription, as Mosquitto supports
				// them
				assertThat(properties.subscriptionIdentifiers()).hasSize(1);
			}
			assertThat(received.messages()).extracting(MqttMessage::qos).containsExactly(0, 1, 2);
		}

		@Test
		void aMessageWithoutPropertiesHasNone(MqttBroker broker) {
			Clients clients = Mqtt5PublishPropertiesIntegrationTests.this.clients;
			MqttClient client = clients.make(broker, "v5-noprops", (b) -> b.version(5).dispatchThread(true));
			client.connect();
			Received received = new Received();
			assertThat(client.subscribe("v5/noprops", 1, received)).isEqualTo(1);
			assertThat(client.publish("v5/noprops", "plain", false, 1)).isTrue();
			received.awaitCount(1);
			// nothing but the identifier the client gave its subscription
			MqttProperties properties = received.messages().get(0).properties();
			assertThat(properties.subscriptionIdentifiers()).hasSize(1);
			assertThat(properties.contentType()).isNull();
			assertThat(properties.responseTopic()).isNull();
			assertThat(properties.correlationData()).isNull();
			assertThat(properties.messageExpiry()).isNull();
			assertThat(properties.payloadFormatUtf8()).isFalse();
			assertThat(properties.userProperties()).isEmpty();
		}

		@Test
		void onMqtt311PropertiesAreRefusedBeforeAnythingIsSent(MqttBroker broker) {
			Clients clients = Mqtt5PublishPropertiesIntegrationTests.this.clients;
			MqttClient client = clients.make(broker, "v4-props", (b) -> b.dispatchThread(true));
			client.connect();
			Received received = new Received();
			assertThat(client.subscribe("v4/props", 1, received)).isEqualTo(1);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> client.publishAsync("v4/props", "x".getBytes(), false, 1, all()))
				.withMessageContaining("need MQTT 5");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> client.publish("v4/props", "x".getBytes(), false, 0, all()));
			// empty properties are what 3.1.1 has: allowed
			assertThat(client.publish("v4/props", "y".getBytes(), false, 1, MqttProperties.NONE)).isTrue();
			received.awaitCount(1);
			assertThat(received.payloads()).containsExactly("y");
			assertThat(received.messages().get(0).properties()).isSameAs(MqttProperties.NONE);
			assertThat(client.status()).isEqualTo(MqttStatus.CONNECTED);
		}

	}

	@Test
	void aClientNeverSendsASubscriptionIdentifier() throws Exception {
		// [MQTT-3.3.4-6]: a PUBLISH from a client must not carry a Subscription
		// Identifier
		try (ScriptedBroker broker = ScriptedBroker
			.answering(Mqtt5ConnectIntegrationTests.connack(PacketProperties.NONE, 0))) {
			MqttClient client = this.clients
				.track(MqttClient.builder(Clients.id("v5-subid"), "127.0.0.1").port(broker.port()).version(5).build());
			client.connect();
			MqttProperties withId = MqttProperties.builder().subscriptionIdentifier(7).build();
			assertThatIllegalArgumentException()
				.isThrownBy(() -> client.publishAsync("v5/subid", "x".getBytes(), false, 0, withId))
				.withMessageContaining("[MQTT-3.3.4-6]");
			assertThat(client.publishAsync("v5/subid", "y".getBytes(), false, 0, all()))
				.succeedsWithin(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.publishes().size() == 1);
			Publish sent = decodePublish(broker.publishes().get(0));
			assertThat(sent.properties().subscriptionIdentifiers()).isEmpty();
			assertThat(sent.properties().contentType()).isEqualTo("application/json");
			sent.payload().release();
		}
	}

	@Test
	void aMessageInFlightIsResentWithItsPropertiesAfterARestart(@TempDir Path storeDir) throws Exception {
		// [MQTT-4.4.0-1]: unacknowledged PUBLISHes are resent, DUP set [MQTT-3.3.1-1],
		// with the same properties, from the persistent store of the next process
		String id = Clients.id("v5-stored");
		byte[] sessionPresent = { 0x20, 0x03, 0x01, 0x00, 0x00 };
		try (ScriptedBroker unanswering = ScriptedBroker
			.answering(Mqtt5ConnectIntegrationTests.connack(PacketProperties.NONE, 0))) {
			FileSessionStore firstStore = new FileSessionStore(storeDir, id, FileSessionStore.FsyncPolicy.ALWAYS);
			MqttClient first = MqttClient.builder(id, "127.0.0.1")
				.port(unanswering.port())
				.version(5)
				.sessionExpiry(Duration.ofHours(1))
				.reconn(false)
				.sessionStore(firstStore)
				.build();
			first.connect(false);
			first.publishAsync("v5/stored", "kept".getBytes(), false, 1, all());
			first.publishAsync("v5/stored", "kept too".getBytes(), false, 2, all());
			await().atMost(Duration.ofSeconds(10)).until(() -> unanswering.publishes().size() == 2);
			// the process ends without an acknowledgement
			first.close();
			// frees the client's threads; the in-flight messages stay in the store
			first.disconnect();
			firstStore.close();
		}
		try (ScriptedBroker resuming = ScriptedBroker.answering(sessionPresent).answeringPublishes(0)) {
			MqttClient second = this.clients.track(MqttClient.builder(id, "127.0.0.1")
				.port(resuming.port())
				.version(5)
				.sessionExpiry(Duration.ofHours(1))
				.sessionStore(new FileSessionStore(storeDir, id, FileSessionStore.FsyncPolicy.ALWAYS))
				.build());
			second.connect(false);
			await().atMost(Duration.ofSeconds(10)).until(() -> resuming.publishes().size() == 2);
			List<Publish> resent = resuming.publishes()
				.stream()
				.map(Mqtt5PublishPropertiesIntegrationTests::decodePublish)
				.toList();
			assertThat(resent).extracting(Publish::qos).containsExactly(1, 2);
			for (Publish publish : resent) {
				assertThat(publish.dup()).isTrue();
				assertThat(publish.topic()).isEqualTo("v5/stored");
				PacketProperties properties = publish.properties();
				assertThat(properties.payloadFormatIndicator()).isEqualTo(1);
				assertThat(properties.messageExpiryInterval()).isEqualTo(3600);
				assertThat(properties.contentType()).isEqualTo("application/json");
				assertThat(properties.responseTopic()).isEqualTo("v5/replies/here");
				assertThat(properties.correlationData()).containsExactly(1, 2, 3, 0, -1);
				assertThat(properties.userProperties()).containsExactly(new UserProperty("b", "2"),
						new UserProperty("a", "1"), new UserProperty("b", "3"));
				publish.payload().release();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> second.inflightCount() == 0);
		}
	}

}
