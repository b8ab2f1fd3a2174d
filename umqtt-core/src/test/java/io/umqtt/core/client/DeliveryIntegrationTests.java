package io.umqtt.core.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttMessage;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What arrives, and how: QoS 0, 1 and 2 with payloads of every size class, retained
 * messages, overlapping subscriptions, {@code $} topics, unsubscribe, UTF-8 topics, MQTT
 * 3.1 and an empty client id.
 */
@MqttBrokerTest
class DeliveryIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	static Stream<Arguments> qosAndSizes() {
		int[] sizes = { 0, 1, 127, 128, 16 * 1024, 1024 * 1024, 10 * 1024 * 1024 };
		return Stream.of(0, 1, 2).flatMap((qos) -> Arrays.stream(sizes).mapToObj((size) -> Arguments.of(qos, size)));
	}

	@ParameterizedTest(name = "QoS {0}, {1} bytes")
	@MethodSource("qosAndSizes")
	void roundTripsEveryQosAndPayloadSize(int qos, int size, MqttBroker broker) {
		MqttClient subscriber = this.clients.make(broker, "sub", (b) -> b.dispatchThread(true));
		Received received = new Received();
		subscriber.setCallback(received);
		subscriber.connect();
		String topic = "sizes/" + qos + "/" + size;
		assertThat(subscriber.subscribe(topic, qos)).isEqualTo(qos);
		MqttClient publisher = this.clients.make(broker, "pub", (b) -> b.publishTimeout(Duration.ofSeconds(30)));
		publisher.connect();
		byte[] payload = new byte[size];
		new Random(size).nextBytes(payload);
		assertThat(publisher.publish(topic, payload, false, qos)).isTrue();
		MqttMessage message = received.awaitCount(1, 30).messages().get(0);
		assertThat(message.topic()).isEqualTo(topic);
		assertThat(message.qos()).isEqualTo(qos);
		assertThat(message.payload()).isEqualTo(payload);
	}

	@Test
	void retainedMessageReachesALaterSubscriberWithTheRetainFlag(MqttBroker broker) {
		MqttClient publisher = this.clients.make(broker, "retain-pub");
		publisher.connect();
		assertThat(publisher.publish("retained/state", "on", true, 1)).isTrue();
		MqttClient late = this.clients.make(broker, "retain-sub", (b) -> b.dispatchThread(true));
		Received received = new Received();
		late.setCallback(received);
		late.connect();
		late.subscribe("retained/#", 1);
		MqttMessage message = received.awaitCount(1).messages().get(0);
		assertThat(message.payloadAsString()).isEqualTo("on");
		if (broker.kind() != BrokerKind.EMBEDDED) {
			// Moquette 0.17 sends stored retained messages without the RETAIN flag
			// [MQTT-3.3.1-8]
			assertThat(message.retain()).isTrue();
		}
		// clear it
		publisher.publish("retained/state", new byte[0], true, 1);
	}

	@Test
	void overlappingSubscriptionsDeliverWithTheHighestQosAndListenersGetTheirOwn(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "overlap", (b) -> b.dispatchThread(true));
		Received wide = new Received();
		Received narrow = new Received();
		client.connect();
		client.subscribe("overlap/#", 0, wide);
		client.subscribe("overlap/a/+", 2, narrow);
		client.publish("overlap/a/b", "both", false, 2);
		client.publish("overlap/c", "wide only", false, 2);
		wide.awaitCount(2);
		narrow.awaitCount(1);
		assertThat(wide.payloads()).contains("both", "wide only");
		assertThat(narrow.payloads()).contains("both").doesNotContain("wide only");
		assertThat(narrow.messages().get(0).qos()).isEqualTo(2);
	}

	@Test
	void asynchronousListenersGiveTheirDeliverySlotsBackEvenBesideAThrowingListener(MqttBroker broker) {
		// two delivery slots: a message matching both asynchronous listeners takes both,
		// so a slot
		// not given back would stop delivery at the second message
		MqttClient client = this.clients.make(broker, "async-slots",
				(b) -> b.dispatchThread(true).inboundQueueCapacity(2));
		java.util.List<String> first = new java.util.concurrent.CopyOnWriteArrayList<>();
		java.util.List<String> second = new java.util.concurrent.CopyOnWriteArrayList<>();
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
		try {
			client.connect();
			client.subscribe("slots/#", 1, asyncInto(first, pool));
			client.subscribe("slots/+", 1, asyncInto(second, pool));
			client.subscribe("slots/a", 1, (io.umqtt.core.MqttMessageListener) (message) -> {
				throw new IllegalStateException("a listener that fails");
			});
			for (int i = 0; i < 20; i++) {
				client.publish("slots/" + ((i % 2 == 0) ? "a" : "b"), "m" + i, false, 1);
			}
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.until(() -> first.size() == 20 && second.size() == 20);
			assertThat(first).containsExactlyElementsOf(second);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static io.umqtt.core.AsyncMqttMessageListener asyncInto(List<String> payloads,
			java.util.concurrent.Executor pool) {
		return (message) -> java.util.concurrent.CompletableFuture
			.runAsync(() -> payloads.add(new String(message.payload(), StandardCharsets.UTF_8)), pool);
	}

	@Test
	void wildcardsDoNotMatchDollarTopicsButExplicitFiltersDo(MqttBroker broker) {
		org.junit.jupiter.api.Assumptions.assumeTrue(broker.kind() != BrokerKind.EMBEDDED,
				"Moquette refuses PUBLISH to $ topics from clients; needs Mosquitto");
		MqttClient client = this.clients.make(broker, "dollar", (b) -> b.dispatchThread(true));
		Received all = new Received();
		Received dollar = new Received();
		client.connect();
		client.subscribe("#", 0, all);
		client.subscribe("$app/status", 0, dollar);
		client.publish("$app/status", "ok", false, 1);
		client.publish("plain/after", "marker", false, 1);
		all.awaitCount(1);
		dollar.awaitCount(1);
		assertThat(dollar.payloads()).containsExactly("ok");
		assertThat(all.messages()).extracting(MqttMessage::topic).doesNotContain("$app/status");
	}

	@Test
	void unsubscribeStopsDelivery(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "unsub", (b) -> b.dispatchThread(true));
		Received received = new Received();
		client.setCallback(received);
		client.connect();
		client.subscribe("unsub/t", 1);
		client.publish("unsub/t", "before", false, 1);
		received.awaitCount(1);
		client.unsubscribe("unsub/t");
		assertThat(client.subscriptions()).doesNotContainKey("unsub/t");
		client.subscribe("unsub/marker", 1);
		client.publish("unsub/t", "after", false, 1);
		client.publish("unsub/marker", "marker", false, 1);
		received.awaitCount(2);
		assertThat(received.payloads()).containsExactly("before", "marker");
	}

	@Test
	void nonAsciiTopicsAndPayloadsArriveIntact(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "utf8", (b) -> b.dispatchThread(true));
		Received received = new Received();
		client.setCallback(received);
		client.connect();
		String topic = "温度/café/😀";
		client.subscribe("温度/+/😀", 1);
		client.publish(topic, "二十度 ✓", false, 1);
		MqttMessage message = received.awaitCount(1).messages().get(0);
		assertThat(message.topic()).isEqualTo(topic);
		assertThat(new String(message.payload(), StandardCharsets.UTF_8)).isEqualTo("二十度 ✓");
	}

	@Test
	void invalidTopicsAreRefusedBeforeAnythingIsSent(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "invalid");
		client.connect();
		assertThatIllegalArgumentException().isThrownBy(() -> client.publish("a/+", "x"))
			.withMessageContaining("MQTT-3.3.2-2");
		assertThatIllegalArgumentException().isThrownBy(() -> client.publish("", "x"))
			.withMessageContaining("MQTT-4.7.3-1");
		assertThatIllegalArgumentException().isThrownBy(() -> client.subscribe("a/#/b", 0))
			.withMessageContaining("MQTT-4.7.1-2");
		assertThatIllegalArgumentException().isThrownBy(() -> client.publish("t", "x", false, 3));
		assertThat(client.getMqttsta()).isZero();
	}

	@Test
	void mqtt31ConnectsAndDelivers(MqttBroker broker) {
		org.junit.jupiter.api.Assumptions.assumeTrue(broker.kind() != BrokerKind.EMBEDDED,
				"Moquette speaks MQTT 3.1.1 only; MQTT 3.1 needs Mosquitto");
		MqttClient client = this.clients.make(broker, "v31", (b) -> b.version(3).dispatchThread(true));
		Received received = new Received();
		client.setCallback(received);
		assertThat(client.connect()).isZero();
		client.subscribe("v31/t", 2);
		client.publish("v31/t", "old protocol", false, 2);
		assertThat(received.awaitCount(1).payloads()).containsExactly("old protocol");
	}

	@Test
	void zeroLengthClientIdConnectsWithCleanSession(MqttBroker broker) {
		MqttClient client = this.clients
			.track(MqttClient.builder("", broker.host()).port(broker.port()).dispatchThread(true).build());
		Received received = new Received();
		client.setCallback(received);
		assertThat(client.connect(true)).isZero();
		client.subscribe("anon/t", 1);
		client.publish("anon/t", "no id", false, 1);
		assertThat(received.awaitCount(1).payloads()).containsExactly("no id");
	}

	@Test
	void zeroLengthClientIdWithPersistentSessionIsRefusedWithCode2(MqttBroker broker) {
		org.junit.jupiter.api.Assumptions.assumeTrue(broker.kind() != BrokerKind.EMBEDDED,
				"Moquette assigns an id instead of refusing; [MQTT-3.1.3-8] is Mosquitto's behaviour here");
		MqttClient client = this.clients.track(MqttClient.builder("", broker.host()).port(broker.port()).build());
		// an empty id with clean session 0 is refused by the client itself
		// [MQTT-3.1.3-7], with the
		// return code a broker answers it with [MQTT-3.1.3-8]
		assertThatExceptionOfType(MqttException.class).isThrownBy(() -> client.connect(false))
			.satisfies((ex) -> assertThat(ex.returnCode()).isEqualTo(2))
			.withMessageContaining("identifier rejected");
	}

	@Test
	void messagesArrivingBeforeTheSubackAreDelivered(MqttBroker broker) {
		MqttClient publisher = this.clients.make(broker, "early-pub");
		publisher.connect();
		for (int i = 0; i < 20; i++) {
			publisher.publish("early/" + i, "r" + i, true, 1);
		}
		MqttClient client = this.clients.make(broker, "early", (b) -> b.dispatchThread(true));
		Received received = new Received();
		client.connect();
		client.subscribe("early/#", 1, received);
		assertThat(received.awaitCount(20).messages()).hasSize(20);
		for (int i = 0; i < 20; i++) {
			publisher.publish("early/" + i, new byte[0], true, 1);
		}
	}

	@Test
	void listenersReceiveTheWholeMessage(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "whole", (b) -> b.dispatchThread(true));
		Received received = new Received();
		client.setCallback(received);
		client.connect();
		client.subscribe("whole/t", 2);
		client.publish("whole/t", "x", false, 1);
		MqttMessage message = received.awaitCount(1).messages().get(0);
		assertThat(message.qos()).isEqualTo(1);
		assertThat(message.messageId()).isBetween(1, 65_535);
		assertThat(message.retain()).isFalse();
		assertThat(List.of(message.dup())).containsExactly(false);
	}

}
