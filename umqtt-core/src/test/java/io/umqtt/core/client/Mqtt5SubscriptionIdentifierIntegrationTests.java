package io.umqtt.core.client;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.umqtt.core.MqttClient;
import io.umqtt.core.SubscribeOptions;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.SubAck;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.umqtt.core.client.Mqtt5ConnectIntegrationTests.concat;
import static io.umqtt.core.client.Mqtt5ConnectIntegrationTests.connack;
import static io.umqtt.core.client.Mqtt5SubscribeIntegrationTests.bytes;
import static io.umqtt.core.client.Mqtt5SubscribeIntegrationTests.decodeSubscribe;
import static io.umqtt.core.client.Mqtt5SubscribeIntegrationTests.packetId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5 subscription identifiers: each subscribed filter gets one of its own where the
 * server supports them, and received messages go to the listeners of the filters their
 * identifiers name, not to every listener whose filter matches the topic.
 */
class Mqtt5SubscriptionIdentifierIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	static byte[] publish(String topic, int subscriptionId, String payload) {
		ByteBuf buffer = Unpooled.buffer();
		PacketEncoder.MQTT_5.encodePublish(topic, 0, false, false, 0,
				PacketProperties.builder().subscriptionIdentifier(subscriptionId).build(), payload.getBytes(), buffer);
		return ByteBufUtil.getBytes(buffer);
	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
	class OnMosquitto {

		@Test
		void overlappingFiltersEachGetTheirOwnCopyOnce(MqttBroker broker) {
			// Mosquitto sends a copy per matching subscription, each with that
			// subscription's identifier [MQTT-3.3.4-3, MQTT-3.3.4-5]: each listener gets
			// its own copy, not every copy
			MqttClient client = Mqtt5SubscriptionIdentifierIntegrationTests.this.clients.make(broker, "v5-sid",
					(b) -> b.version(5).dispatchThread(true));
			client.connect();
			assertThat(client.serverLimits().subscriptionIdentifiersAvailable()).isTrue();
			Received all = new Received();
			Received level = new Received();
			Received marker = new Received();
			client.subscribeAsync("v5/sid/#", 1, SubscribeOptions.DEFAULT, all).join();
			client.subscribeAsync("v5/sid/+", 1, SubscribeOptions.DEFAULT, level).join();
			client.subscribeAsync("v5/sid-marker", 1, SubscribeOptions.DEFAULT, marker).join();
			assertThat(client.publish("v5/sid/x", "both", false, 1)).isTrue();
			assertThat(client.publish("v5/sid/x/y", "all only", false, 1)).isTrue();
			assertThat(client.publish("v5/sid-marker", "done", false, 1)).isTrue();
			marker.awaitCount(1);
			all.awaitCount(2);
			level.awaitCount(1);
			assertThat(all.payloads()).containsExactlyInAnyOrder("both", "all only");
			assertThat(level.payloads()).containsExactly("both");
		}

	}

	@Test
	void eachFilterGetsAnIdentifierOfItsOwnAndMessagesAreRoutedByIt() throws Exception {
		// [MQTT-3.8.2.1.2] the Subscription Identifier of the SUBSCRIBE; the message
		// names filter 1 although its topic matches neither
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(PacketProperties.NONE, 0))
			.answeringSubscribes((body) -> concat(bytes(new SubAck(packetId(body), List.of(0), PacketProperties.NONE)),
					(packetId(body) == 2) ? publish("elsewhere", 1, "routed") : new byte[0]))) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-sid-scripted"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.dispatchThread(true)
				.build());
			client.connect();
			Received first = new Received();
			Received second = new Received();
			client.subscribeAsync("v5/first/#", 0, SubscribeOptions.DEFAULT, first).join();
			client.subscribeAsync("v5/second", 0, SubscribeOptions.DEFAULT, second).join();
			assertThat(decodeSubscribe(broker.subscribes().get(0)).properties().subscriptionIdentifiers())
				.containsExactly(1);
			assertThat(decodeSubscribe(broker.subscribes().get(1)).properties().subscriptionIdentifiers())
				.containsExactly(2);
			first.awaitCount(1);
			assertThat(first.payloads()).containsExactly("routed");
			assertThat(second.messages()).isEmpty();
		}
	}

	@Test
	void withoutServerSupportNoIdentifierIsSent() throws Exception {
		PacketProperties limits = PacketProperties.builder().subscriptionIdentifierAvailable(0).build();
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(limits, 0))
			.answeringSubscribes((body) -> bytes(new SubAck(packetId(body), List.of(0), PacketProperties.NONE)))) {
			MqttClient client = this.clients.track(
					MqttClient.builder(Clients.id("v5-sid-none"), "127.0.0.1").port(broker.port()).version(5).build());
			client.connect();
			client.subscribe("v5/plain", 0);
			assertThat(decodeSubscribe(broker.subscribes().get(0)).properties().subscriptionIdentifiers()).isEmpty();
		}
	}

}
