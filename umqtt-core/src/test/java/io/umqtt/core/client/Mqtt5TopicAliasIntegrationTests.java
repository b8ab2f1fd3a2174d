package io.umqtt.core.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.packet.ConnAck;
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
import static org.awaitility.Awaitility.await;

/**
 * Outbound topic aliases on MQTT 5: the client gives the topics it publishes to an alias
 * each, up to the server's Topic Alias Maximum, the first PUBLISH of a topic carrying
 * topic and alias and later ones the alias alone; none where the server takes none, a
 * fresh table on each connection, and a message resent after a reconnect or a restart
 * always with its full topic.
 */
class Mqtt5TopicAliasIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	static byte[] connack(boolean sessionPresent, int topicAliasMaximum) {
		PacketProperties properties = (topicAliasMaximum > 0)
				? PacketProperties.builder().topicAliasMaximum(topicAliasMaximum).build() : PacketProperties.NONE;
		ByteBuf buffer = Unpooled.buffer();
		PacketEncoder.MQTT_5.encode(new ConnAck(sessionPresent, 0, properties), buffer);
		return ByteBufUtil.getBytes(buffer);
	}

	private MqttClient client(ScriptedBroker broker, boolean topicAliases) {
		MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-alias"), "127.0.0.1")
			.port(broker.port())
			.version(5)
			.topicAliases(topicAliases)
			.build());
		client.connect();
		return client;
	}

	private static List<Publish> received(ScriptedBroker broker) {
		List<Publish> publishes = new ArrayList<>();
		for (byte[] bytes : broker.publishes()) {
			Publish publish = Mqtt5PublishPropertiesIntegrationTests.decodePublish(bytes);
			publish.payload().release();
			publishes.add(publish);
		}
		return publishes;
	}

	private static void assertAliased(Publish publish, String topic, int alias) {
		assertThat(publish.topic()).as("topic of %s", publish).isEqualTo(topic);
		assertThat(publish.properties().topicAlias()).as("alias of %s", publish).isEqualTo(alias);
	}

	@Test
	void theFirstPublishOfATopicCarriesTopicAndAliasLaterOnesTheAliasAlone() throws Exception {
		// [MQTT-3.3.2-8] never 0, [MQTT-3.2.2-17] [MQTT-3.3.2-9] never above the maximum;
		// with every alias taken the mapping stays and other topics go in full
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(false, 2)).answeringPublishes(0)) {
			MqttClient client = client(broker, true);
			assertThat(client.serverLimits().topicAliasMaximum()).isEqualTo(2);
			String[] topics = { "v5/alias/a", "v5/alias/b", "v5/alias/c", "v5/alias/a", "v5/alias/b", "v5/alias/c",
					"v5/alias/a" };
			for (int i = 0; i < topics.length; i++) {
				assertThat(client.publish(topics[i], "m" + i, false, i % 3)).isTrue();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.publishes().size() == topics.length);
			List<Publish> sent = received(broker);
			int none = PacketProperties.ABSENT;
			assertAliased(sent.get(0), "v5/alias/a", 1);
			assertAliased(sent.get(1), "v5/alias/b", 2);
			assertAliased(sent.get(2), "v5/alias/c", none);
			assertAliased(sent.get(3), "", 1);
			assertAliased(sent.get(4), "", 2);
			assertAliased(sent.get(5), "v5/alias/c", none);
			assertAliased(sent.get(6), "", 1);
			assertThat(sent).extracting(Publish::qos).containsExactly(0, 1, 2, 0, 1, 2, 0);
		}
	}

	@Test
	void noAliasWhereTheServerTakesNoneOrTheClientIsToldNotTo() throws Exception {
		// [MQTT-3.2.2-18]: Topic Alias Maximum absent or 0, no alias at all
		try (ScriptedBroker none = ScriptedBroker.answering(connack(false, 0)).answeringPublishes(0);
				ScriptedBroker off = ScriptedBroker.answering(connack(false, 5)).answeringPublishes(0)) {
			MqttClient withoutMaximum = client(none, true);
			MqttClient aliasesOff = client(off, false);
			for (int i = 0; i < 3; i++) {
				assertThat(withoutMaximum.publish("v5/alias/none", "m" + i, false, i)).isTrue();
				assertThat(aliasesOff.publish("v5/alias/off", "m" + i, false, i)).isTrue();
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> none.publishes().size() == 3 && off.publishes().size() == 3);
			for (Publish publish : received(none)) {
				assertAliased(publish, "v5/alias/none", PacketProperties.ABSENT);
			}
			for (Publish publish : received(off)) {
				assertAliased(publish, "v5/alias/off", PacketProperties.ABSENT);
			}
		}
	}

	@Test
	void aMessageResentAfterAReconnectCarriesItsFullTopicAndTheNewConnectionStartsAfresh() throws Exception {
		// [MQTT-3.3.2-7]: no alias mapping carried from one connection to the next
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(true, 4)).holdingAcks()) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-alias-resend"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.sessionExpiry(Duration.ofHours(1))
				.build());
			client.connect(false);
			List<CompletableFuture<Void>> published = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				published.add(client.publishAsync("v5/alias/resent", ("m" + i).getBytes(), false, 1));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.publishes().size() == 3);
			broker.dropAll();
			await().atMost(Duration.ofSeconds(20)).until(() -> broker.publishes().size() == 6);
			assertThat(client.publishAsync("v5/alias/resent", "after".getBytes(), false, 0))
				.succeedsWithin(Duration.ofSeconds(10));
			assertThat(client.publishAsync("v5/alias/resent", "after again".getBytes(), false, 0))
				.succeedsWithin(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.publishes().size() == 8);
			List<Publish> sent = received(broker);
			assertAliased(sent.get(0), "v5/alias/resent", 1);
			assertAliased(sent.get(1), "", 1);
			assertAliased(sent.get(2), "", 1);
			for (Publish resent : sent.subList(3, 6)) {
				assertThat(resent.dup()).isTrue();
				assertAliased(resent, "v5/alias/resent", PacketProperties.ABSENT);
			}
			assertAliased(sent.get(6), "v5/alias/resent", 1);
			assertAliased(sent.get(7), "", 1);
			for (int i = 0; i < 3; i++) {
				assertThat(broker.acknowledgeOldest()).isTrue();
			}
		}
	}

	@Test
	void aMessageResentFromTheStoreAfterARestartCarriesItsFullTopic(@TempDir Path storeDir) throws Exception {
		String id = Clients.id("v5-alias-stored");
		try (ScriptedBroker unanswering = ScriptedBroker.answering(connack(false, 4))) {
			FileSessionStore firstStore = new FileSessionStore(storeDir, id, FileSessionStore.FsyncPolicy.ALWAYS);
			MqttClient first = MqttClient.builder(id, "127.0.0.1")
				.port(unanswering.port())
				.version(5)
				.sessionExpiry(Duration.ofHours(1))
				.reconn(false)
				.sessionStore(firstStore)
				.build();
			first.connect(false);
			first.publishAsync("v5/alias/stored", "one".getBytes(), false, 1);
			first.publishAsync("v5/alias/stored", "two".getBytes(), false, 2);
			await().atMost(Duration.ofSeconds(10)).until(() -> unanswering.publishes().size() == 2);
			assertAliased(received(unanswering).get(1), "", 1);
			first.close();
			first.disconnect();
			firstStore.close();
		}
		try (ScriptedBroker resuming = ScriptedBroker.answering(connack(true, 4)).answeringPublishes(0)) {
			MqttClient second = this.clients.track(MqttClient.builder(id, "127.0.0.1")
				.port(resuming.port())
				.version(5)
				.sessionExpiry(Duration.ofHours(1))
				.sessionStore(new FileSessionStore(storeDir, id, FileSessionStore.FsyncPolicy.ALWAYS))
				.build());
			second.connect(false);
			await().atMost(Duration.ofSeconds(10)).until(() -> resuming.publishes().size() == 2);
			for (Publish resent : received(resuming)) {
				assertThat(resent.dup()).isTrue();
				assertAliased(resent, "v5/alias/stored", PacketProperties.ABSENT);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> second.inflightCount() == 0);
		}
	}

	@Test
	void aHundredByteTopicCostsAFractionOfItsBytesPerMessageWithAliases() throws Exception {
		// the figure the README gives: bytes on the wire per message, 1,000 messages of a
		// 16-byte payload to one topic of 100 bytes, with and without aliases
		String topic = "v5/alias/" + "t".repeat(91);
		assertThat(topic).hasSize(100);
		long with = bytesPerMessage(topic, true);
		long without = bytesPerMessage(topic, false);
		double ratio = (double) with / without;
		System.out.printf("topic alias bytes per message (100-byte topic, 16-byte payload, QoS 1): "
				+ "%d with aliases, %d without, ratio %.3f%n", with, without, ratio);
		assertThat(ratio).isLessThanOrEqualTo(0.4);
	}

	private long bytesPerMessage(String topic, boolean topicAliases) throws Exception {
		int messages = 1000;
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(false, 10)).answeringPublishes(0)) {
			MqttClient client = client(broker, topicAliases);
			byte[] payload = new byte[16];
			List<CompletableFuture<Void>> published = new ArrayList<>();
			IntStream.range(0, messages).forEach((i) -> published.add(client.publishAsync(topic, payload, false, 1)));
			CompletableFuture.allOf(published.toArray(new CompletableFuture[0])).get();
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.publishes().size() == messages);
			long bytes = broker.publishes().stream().mapToLong((p) -> p.length).sum();
			return Math.round((double) bytes / messages);
		}
	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
	class OnMosquitto {

		@Test
		void messagesArriveWithTheirFullTopicAtEveryQosAndAcrossAReconnect(MqttBroker broker) {
			// Mosquitto announces a Topic Alias Maximum of 10 by default: 12 topics take
			// every alias and go on in full beyond them
			Clients clients = Mqtt5TopicAliasIntegrationTests.this.clients;
			MqttClient subscriber = clients.make(broker, "v5-alias-sub", (b) -> b.version(5).dispatchThread(true));
			subscriber.connect();
			Received received = new Received();
			assertThat(subscriber.subscribe("v5/alias/#", 2, received)).isEqualTo(2);
			MqttClient publisher = clients.make(broker, "v5-alias-pub", (b) -> b.version(5));
			publisher.connect();
			assertThat(publisher.serverLimits().topicAliasMaximum()).isPositive();
			List<String> expected = new ArrayList<>();
			for (int round = 0; round < 2; round++) {
				if (round == 1) {
					// a new connection: the reference's external reconnection
					publisher.close();
					publisher.connect();
				}
				for (int qos = 0; qos <= 2; qos++) {
					for (int t = 0; t < 12; t++) {
						String topic = "v5/alias/" + round + "/" + t;
						assertThat(publisher.publish(topic, topic + " qos" + qos, false, qos)).isTrue();
						expected.add(topic + " qos" + qos);
					}
				}
			}
			received.awaitCount(expected.size());
			assertThat(received.payloads()).containsExactlyInAnyOrderElementsOf(expected);
			for (MqttMessage message : received.messages()) {
				assertThat(message.payloadAsString()).startsWith(message.topic() + " qos");
			}
		}

		@Test
		void messagesInFlightWhenTheConnectionDropsArriveWithTheirFullTopic(MqttBroker broker) {
			Clients clients = Mqtt5TopicAliasIntegrationTests.this.clients;
			MqttClient subscriber = clients.make(broker, "v5-alias-sub", (b) -> b.version(5).dispatchThread(true));
			subscriber.connect();
			Received received = new Received();
			assertThat(subscriber.subscribe("v5/alias/inflight/#", 2, received)).isEqualTo(2);
			MqttClient publisher = clients.make(broker, "v5-alias-pub",
					(b) -> b.version(5).sessionExpiry(Duration.ofMinutes(5)));
			publisher.connect(false);
			List<CompletableFuture<Void>> published = new ArrayList<>();
			List<String> expected = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				String topic = "v5/alias/inflight/" + (i % 3);
				expected.add(topic + " " + i);
				published.add(publisher.publishAsync(topic, (topic + " " + i).getBytes(), false, 1 + (i % 2)));
				if (i == 100) {
					// drops the socket with messages in flight and connects again
					publisher.close();
					publisher.connect(false);
				}
			}
			for (CompletableFuture<Void> future : published) {
				assertThat(future).succeedsWithin(Duration.ofSeconds(30));
			}
			received.awaitCount(200, 30);
			for (MqttMessage message : received.messages()) {
				assertThat(message.payloadAsString()).startsWith(message.topic() + " ");
			}
			// QoS 1 may arrive twice after the drop; every message arrives
			assertThat(received.payloads().stream().distinct().toList()).containsExactlyInAnyOrderElementsOf(expected);
		}

	}

}
