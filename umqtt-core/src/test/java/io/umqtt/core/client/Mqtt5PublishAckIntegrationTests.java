package io.umqtt.core.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.Publish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 PUBLISH and its acknowledgements: a new message goes out with its QoS, a packet
 * id of its own and DUP 0; PUBACK and PUBREC reason codes of 0x80 or more fail the
 * publish with that code, 0x10 (no matching subscribers) is success.
 */
class Mqtt5PublishAckIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private MqttClient client(ScriptedBroker broker, List<String> errors) {
		MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-ack"), "127.0.0.1")
			.port(broker.port())
			.version(5)
			.publishTimeout(Duration.ofSeconds(10))
			.build());
		client.errorRegisterCb(errors::add);
		client.connect();
		return client;
	}

	private static ScriptedBroker broker(int reasonCode) {
		return ScriptedBroker.answering(Mqtt5ConnectIntegrationTests.connack(PacketProperties.NONE, 0))
			.answeringPublishes(reasonCode);
	}

	@Test
	void aNewMessageGoesOutWithItsQosItsOwnPacketIdAndDupZero() throws Exception {
		// the broker acknowledges nothing: every QoS 1 and 2 message stays in flight
		try (ScriptedBroker broker = ScriptedBroker
			.answering(Mqtt5ConnectIntegrationTests.connack(PacketProperties.NONE, 0))) {
			MqttClient client = client(broker, new CopyOnWriteArrayList<>());
			String big = "x".repeat(4096);
			int[] qos = { 0, 1, 2, 0, 1, 2, 1, 2 };
			for (int i = 0; i < qos.length; i++) {
				// the last two past the size the encoder batches: a PUBLISH header of
				// their own
				String payload = i + ((i >= 6) ? big : "");
				client.publishAsync("v5/new", payload.getBytes(), false, qos[i]);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.publishes().size() == qos.length);
			Map<Integer, Publish> sent = new HashMap<>();
			for (byte[] bytes : broker.publishes()) {
				Publish publish = Mqtt5PublishPropertiesIntegrationTests.decodePublish(bytes);
				sent.put(publish.payload().getByte(0) - '0', publish);
			}
			Set<Integer> packetIds = new HashSet<>();
			for (int i = 0; i < qos.length; i++) {
				Publish publish = sent.get(i);
				assertThat(publish.qos()).as("QoS of message %d", i).isEqualTo(qos[i]);
				// [MQTT-4.3.1-1] QoS 0, [MQTT-4.3.2-2] QoS 1, [MQTT-4.3.3-2] QoS 2: DUP 0
				// on a message's first PUBLISH
				assertThat(publish.dup()).as("DUP of message %d", i).isFalse();
				if (qos[i] == 0) {
					assertThat(publish.packetId()).isZero();
				}
				else {
					// [MQTT-4.3.2-2, MQTT-4.3.3-2]: with the packet id it took, unused
					assertThat(publish.packetId()).isPositive();
					assertThat(packetIds.add(publish.packetId())).as("id %d taken once", publish.packetId()).isTrue();
				}
				publish.payload().release();
			}
		}
	}

	@Test
	void aPubAckOf0x80OrMoreFailsTheFutureWithItsCode() throws Exception {
		for (int qos = 1; qos <= 2; qos++) {
			try (ScriptedBroker broker = broker(0x87)) {
				MqttClient client = client(broker, new CopyOnWriteArrayList<>());
				CompletableFuture<Void> publish = client.publishAsync("v5/denied", "x".getBytes(), false, qos);
				assertThat(publish).failsWithin(Duration.ofSeconds(10))
					.withThrowableThat()
					.havingCause()
					.isInstanceOf(MqttException.class)
					.withMessageContaining("Not authorized (0x87)")
					.satisfies((ex) -> assertThat(((MqttException) ex).reasonCode()).isEqualTo(0x87));
				// the packet id and the window slot are free again
				await().atMost(Duration.ofSeconds(5)).until(() -> client.inflightCount() == 0);
			}
		}
	}

	@Test
	void aBlockingPublishRefusedReturnsFalseAndTellsTheErrorCallback() throws Exception {
		try (ScriptedBroker broker = broker(0x97)) {
			List<String> errors = new CopyOnWriteArrayList<>();
			MqttClient client = client(broker, errors);
			assertThat(client.publish("v5/quota", "x", false, 1)).isFalse();
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(
						() -> assertThat(errors).anySatisfy((e) -> assertThat(e).contains("Quota exceeded (0x97)")));
			// the QoS 2 exchange ends at a refused PUBREC: no PUBREL [MQTT-4.3.3-4]
			assertThat(client.publish("v5/quota", "y", false, 2)).isFalse();
		}
	}

	@Test
	void noMatchingSubscribersIsSuccess() throws Exception {
		try (ScriptedBroker broker = broker(0x10)) {
			MqttClient client = client(broker, new CopyOnWriteArrayList<>());
			assertThat(client.publish("v5/nobody", "x", false, 1)).isTrue();
			assertThat(client.publish("v5/nobody", "x", false, 2)).isTrue();
		}
	}

}
