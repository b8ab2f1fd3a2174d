package io.umqtt.core.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.Publish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The limits an MQTT 5 server announces in its CONNACK, obeyed by the client: Receive
 * Maximum bounds the QoS 1/2 publishes in flight (publishers wait), and a publish above
 * Maximum QoS, with RETAIN where Retain Available is 0, or over Maximum Packet Size fails
 * that call before anything is sent, the connection staying up.
 */
class Mqtt5ServerLimitsIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private MqttClient client(ScriptedBroker broker, List<String> errors) {
		MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-limits"), "127.0.0.1")
			.port(broker.port())
			.version(5)
			.publishTimeout(Duration.ofSeconds(20))
			.build());
		client.errorRegisterCb(errors::add);
		client.connect();
		return client;
	}

	private static ScriptedBroker broker(PacketProperties connack) {
		return ScriptedBroker.answering(Mqtt5ConnectIntegrationTests.connack(connack, 0));
	}

	private static boolean acknowledge(ScriptedBroker broker) {
		try {
			return broker.acknowledgeOldest();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void neverMoreThanTheServersReceiveMaximumInFlightAndEveryPublishCompletes() throws Exception {
		// [MQTT-3.3.4-7]: no more than Receive Maximum QoS 1/2 PUBLISHes unacknowledged;
		// a full quota makes publishers wait, never fail
		try (ScriptedBroker broker = broker(PacketProperties.builder().receiveMaximum(2).build()).holdingAcks()) {
			MqttClient client = client(broker, new CopyOnWriteArrayList<>());
			assertThat(client.serverLimits().receiveMaximum()).isEqualTo(2);
			List<CompletableFuture<Void>> published = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				published.add(client.publishAsync("v5/quota", ("m" + i).getBytes(), false, 1));
			}
			CompletableFuture<Boolean> blocking = CompletableFuture
				.supplyAsync(() -> client.publish("v5/quota", "blocking", false, 1));
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.publishes().size() == 2);
			// the third waits for a PUBACK
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(2))
				.until(() -> broker.publishes().size() == 2);
			for (int acked = 0; acked < 7; acked++) {
				await().atMost(Duration.ofSeconds(10)).until(() -> acknowledge(broker));
			}
			for (CompletableFuture<Void> future : published) {
				assertThat(future).succeedsWithin(Duration.ofSeconds(10));
			}
			assertThat(blocking).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(true);
			assertThat(broker.publishes()).hasSize(7);
			assertThat(broker.mostUnacked()).isEqualTo(2);
		}
	}

	@Test
	void afterAReconnectionTheResendsKeepWithinTheNewConnectionsSmallerReceiveMaximum() throws Exception {
		// [MQTT-3.3.4-7] on the new connection: a broker that took 10 on the first one
		// allows 2 on the next, and the 8 unacknowledged go again 2 at a time
		try (ScriptedBroker broker = ScriptedBroker.answeringEach((n) -> resumingConnack(n > 1, (n == 1) ? 10 : 2))
			.holdingAcks()) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-quota-resend"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.sessionExpiry(Duration.ofHours(1))
				.publishTimeout(Duration.ofSeconds(30))
				.build());
			client.connect(false);
			assertThat(client.serverLimits().receiveMaximum()).isEqualTo(10);
			List<CompletableFuture<Void>> published = new ArrayList<>();
			for (int i = 0; i < 9; i++) {
				published.add(client.publishAsync("v5/quota/resend", ("m" + i).getBytes(), false, 1));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.publishes().size() == 9);
			// one PUBACK read after them: the close that follows blames no PUBLISH, so no
			// isolation, and the resends may go at the window's pace
			assertThat(broker.acknowledgeOldest()).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> published.get(0).isDone());
			broker.dropAll();
			await().atMost(Duration.ofSeconds(20)).until(() -> broker.publishes().size() >= 11);
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(2))
				.until(() -> broker.publishes().size() == 11);
			assertThat(client.serverLimits().receiveMaximum()).isEqualTo(2);
			for (int acked = 1; acked <= 8; acked++) {
				assertThat(broker.acknowledgeOldest()).isTrue();
				int resends = Math.min(acked + 2, 8);
				await().atMost(Duration.ofSeconds(10)).until(() -> broker.publishes().size() >= 9 + resends);
				assertThat(broker.publishes()).as("after %d PUBACKs on the new connection", acked).hasSize(9 + resends);
			}
			for (CompletableFuture<Void> future : published) {
				assertThat(future).succeedsWithin(Duration.ofSeconds(10));
			}
			List<byte[]> resent = broker.publishes().subList(9, 17);
			for (int i = 0; i < resent.size(); i++) {
				Publish publish = Mqtt5PublishPropertiesIntegrationTests.decodePublish(resent.get(i));
				assertThat(publish.dup()).isTrue();
				assertThat(publish.payload().toString(StandardCharsets.UTF_8)).isEqualTo("m" + (i + 1));
			}
			assertThat(client.inflightCount()).isZero();
		}
	}

	static byte[] resumingConnack(boolean sessionPresent, int receiveMaximum) {
		ByteBuf buffer = Unpooled.buffer();
		PacketEncoder.MQTT_5.encode(
				new ConnAck(sessionPresent, 0, PacketProperties.builder().receiveMaximum(receiveMaximum).build()),
				buffer);
		return ByteBufUtil.getBytes(buffer);
	}

	@Test
	void aPublishAboveTheServersMaximumQosFailsAndNothingIsSent() throws Exception {
		// [MQTT-3.2.2-11]
		try (ScriptedBroker broker = broker(PacketProperties.builder().maximumQos(1).build()).answeringPublishes(0)) {
			List<String> errors = new CopyOnWriteArrayList<>();
			MqttClient client = client(broker, errors);
			assertThat(client.publishAsync("v5/qos", "two".getBytes(), false, 2)).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(MqttException.class)
				.withMessageContaining("above the server's Maximum QoS 1 [MQTT-3.2.2-11]");
			assertThat(client.publish("v5/qos", "blocking two", false, 2)).isFalse();
			// the error callback is told on its own thread
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(errors).anySatisfy((e) -> assertThat(e).contains("Maximum QoS 1")));
			assertThat(client.publish("v5/qos", "one", false, 1)).isTrue();
			assertThat(broker.publishes()).hasSize(1);
			assertThat(Mqtt5PublishPropertiesIntegrationTests.decodePublish(broker.publishes().get(0)).qos())
				.isEqualTo(1);
			assertThat(client.status()).isEqualTo(MqttStatus.CONNECTED);
			assertThat(client.inflightCount()).isZero();
		}
	}

	@Test
	void aRetainedPublishWithoutRetainAvailableFailsAndNothingIsSent() throws Exception {
		// [MQTT-3.2.2-14]
		try (ScriptedBroker broker = broker(PacketProperties.builder().retainAvailable(0).build())
			.answeringPublishes(0)) {
			MqttClient client = client(broker, new CopyOnWriteArrayList<>());
			for (int qos = 0; qos <= 2; qos++) {
				assertThat(client.publishAsync("v5/retain", "kept".getBytes(), true, qos))
					.failsWithin(Duration.ofSeconds(5))
					.withThrowableThat()
					.havingCause()
					.isInstanceOf(MqttException.class)
					.withMessageContaining("[MQTT-3.2.2-14]");
			}
			assertThat(client.publish("v5/retain", "not kept", false, 1)).isTrue();
			assertThat(broker.publishes()).hasSize(1);
			assertThat(client.status()).isEqualTo(MqttStatus.CONNECTED);
		}
	}

	@Test
	void aPublishOverTheServersMaximumPacketSizeFailsAndNothingIsSent() throws Exception {
		// [MQTT-3.2.2-15]: the PUBLISH with a 100-byte payload is 114 bytes at QoS 1
		// (fixed header 2, topic 2 + 7, packet id 2, property length 1, payload 100)
		try (ScriptedBroker broker = broker(PacketProperties.builder().maximumPacketSize(113).build())
			.answeringPublishes(0)) {
			MqttClient client = client(broker, new CopyOnWriteArrayList<>());
			assertThat(client.serverLimits().maximumPacketSize()).isEqualTo(113);
			assertThat(client.publishAsync("v5/size", new byte[100], false, 1)).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(MqttException.class)
				.withMessageContaining("would be 114 bytes, over the server's Maximum Packet Size 113 [MQTT-3.2.2-15]");
			// one byte less fits exactly
			assertThat(client.publish("v5/size", new byte[99], false, 1)).isTrue();
			assertThat(broker.publishes()).hasSize(1);
			assertThat(broker.publishes().get(0)).hasSize(113);
			assertThat(client.status()).isEqualTo(MqttStatus.CONNECTED);
		}
	}

}
