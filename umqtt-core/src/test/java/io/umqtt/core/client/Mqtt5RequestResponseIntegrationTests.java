package io.umqtt.core.client;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttProperties;
import io.umqtt.core.MqttStatus;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.Publish;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Request/response on MQTT 5 (section 4.10 of the specification) against Mosquitto, a
 * second client answering: each request carries the client's response topic and a
 * correlation data of its own [MQTT-3.3.2-15] [MQTT-3.3.2-16], and completes with the
 * reply that carries the same correlation data, whatever the order of the replies.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class Mqtt5RequestResponseIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private MqttClient client(MqttBroker broker, String prefix) {
		MqttClient client = this.clients.make(broker, prefix, (b) -> b.version(5).dispatchThread(true));
		client.connect();
		return client;
	}

	private static CompletableFuture<Void> answer(MqttClient responder, MqttMessage request, String reply) {
		MqttProperties properties = MqttProperties.builder()
			.correlationData(request.properties().correlationData())
			.build();
		return responder.publishAsync(request.properties().responseTopic(), reply.getBytes(StandardCharsets.UTF_8),
				false, 1, properties);
	}

	@Test
	void repliesAreMatchedByCorrelationDataEvenWhenAnsweredOutOfOrder(MqttBroker broker) {
		MqttClient responder = client(broker, "v5-responder");
		Received requests = new Received();
		assertThat(responder.subscribe("v5/req/#", 1, requests)).isEqualTo(1);
		MqttClient requester = client(broker, "v5-requester");
		List<CompletableFuture<MqttMessage>> replies = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			replies.add(requester.request("v5/req/" + i, ("question " + i).getBytes(StandardCharsets.UTF_8), 1,
					MqttProperties.builder().contentType("text/plain").build(), Duration.ofSeconds(20)));
		}
		requests.awaitCount(5);
		List<MqttMessage> received = requests.messages();
		String responseTopic = received.get(0).properties().responseTopic();
		assertThat(responseTopic).startsWith("umqtt/reply/" + requester.clientId() + "/");
		assertThat(received).allSatisfy((request) -> {
			assertThat(request.properties().responseTopic()).isEqualTo(responseTopic);
			assertThat(request.properties().contentType()).isEqualTo("text/plain");
		});
		assertThat(received.stream().map((request) -> List.of(request.properties().correlationData())).distinct())
			.hasSize(5);
		// answered last to first
		for (int i = received.size() - 1; i >= 0; i--) {
			MqttMessage request = received.get(i);
			assertThat(answer(responder, request, "answer to " + request.payloadAsString()))
				.succeedsWithin(Duration.ofSeconds(10));
		}
		for (int i = 0; i < 5; i++) {
			assertThat(replies.get(i)).succeedsWithin(Duration.ofSeconds(10))
				.extracting(MqttMessage::payloadAsString)
				.isEqualTo("answer to question " + i);
		}
	}

	@Test
	void aRequestNobodyAnswersFailsAfterItsTimeoutAndALateReplyIsDropped(MqttBroker broker) {
		MqttClient responder = client(broker, "v5-late-responder");
		Received requests = new Received();
		assertThat(responder.subscribe("v5/req/late", 1, requests)).isEqualTo(1);
		MqttClient requester = client(broker, "v5-late-requester");
		CompletableFuture<MqttMessage> reply = requester.request("v5/req/late", "anyone?".getBytes(), 0,
				MqttProperties.NONE, Duration.ofMillis(300));
		assertThat(reply).failsWithin(Duration.ofSeconds(10))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(MqttException.class)
			.withMessageContaining("No reply to the request to 'v5/req/late' within 300 ms");
		requests.awaitCount(1);
		assertThat(answer(responder, requests.messages().get(0), "too late")).succeedsWithin(Duration.ofSeconds(10));
		// the next request is answered as usual
		CompletableFuture<MqttMessage> next = requester.request("v5/req/late", "again".getBytes(), 1, null,
				Duration.ofSeconds(20));
		requests.awaitCount(2);
		assertThat(answer(responder, requests.messages().get(1), "in time")).succeedsWithin(Duration.ofSeconds(10));
		assertThat(next).succeedsWithin(Duration.ofSeconds(10))
			.extracting(MqttMessage::payloadAsString)
			.isEqualTo("in time");
	}

	@Test
	void anAnsweredRequestHoldsNothingUntilItsTimeoutWouldHavePassed(MqttBroker broker) {
		MqttClient responder = client(broker, "v5-gc-responder");
		Received requests = new Received();
		assertThat(responder.subscribe("v5/req/gc", 1, requests)).isEqualTo(1);
		MqttClient requester = client(broker, "v5-gc-requester");
		WeakReference<CompletableFuture<MqttMessage>> answered = answeredRequest(requester, responder, requests);
		// with its timer still scheduled for the hour, the timer would keep the request
		// and its reply reachable
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			System.gc();
			return answered.get() == null;
		});
	}

	private static WeakReference<CompletableFuture<MqttMessage>> answeredRequest(MqttClient requester,
			MqttClient responder, Received requests) {
		CompletableFuture<MqttMessage> reply = requester.request("v5/req/gc", new byte[64 * 1024], 1, null,
				Duration.ofHours(1));
		requests.awaitCount(1);
		assertThat(answer(responder, requests.messages().get(0), "answer")).succeedsWithin(Duration.ofSeconds(10));
		assertThat(reply).succeedsWithin(Duration.ofSeconds(10));
		return new WeakReference<>(reply);
	}

	@Test
	void requestsAreAnsweredAcrossABrokerRestart(MqttBroker broker) throws Exception {
		MqttClient responder = client(broker, "v5-restart-responder");
		assertThat(responder.subscribe("v5/req/restart", 1,
				(request) -> answer(responder, request, "answer to " + request.payloadAsString())))
			.isEqualTo(1);
		MqttClient requester = client(broker, "v5-restart-requester");
		assertThat(requester.request("v5/req/restart", "one".getBytes(), 1, null, Duration.ofSeconds(20)))
			.succeedsWithin(Duration.ofSeconds(20))
			.extracting(MqttMessage::payloadAsString)
			.isEqualTo("answer to one");
		// the broker forgets both clean sessions; both clients reconnect and subscribe
		// again,
		// the requester its response topic too
		broker.stop();
		broker.start();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> requester.status() == MqttStatus.CONNECTED && responder.status() == MqttStatus.CONNECTED);
		// the responder's renewal may still be on its way: ask until it answers
		await().atMost(Duration.ofSeconds(30))
			.until(() -> requester.request("v5/req/restart", "two".getBytes(), 1, null, Duration.ofSeconds(2))
				.handle((reply, failure) -> reply != null && reply.payloadAsString().equals("answer to two"))
				.get());
	}

	@Test
	void theResponseTopicIsUnderTheServersResponseInformation() throws Exception {
		// Request Response Information 1 lets the server return Response Information (0
		// forbids it, [MQTT-3.1.2-28]); it is the base of the response topic
		PacketProperties information = PacketProperties.builder().responseInformation("srv/replies/").build();
		try (ScriptedBroker broker = ScriptedBroker.answering(Mqtt5ConnectIntegrationTests.connack(information, 0))
			.answeringSubscribes((body) -> new byte[] { (byte) 0x90, 0x04, body[0], body[1], 0x00, 0x01 })) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("v5-info"), "127.0.0.1")
				.port(broker.port())
				.version(5)
				.requestResponseInformation(true)
				.build());
			client.connect();
			assertThat(client.serverLimits().responseInformation()).isEqualTo("srv/replies/");
			CompletableFuture<MqttMessage> reply = client.request("v5/req/info", "?".getBytes(), 0, null,
					Duration.ofMillis(500));
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.publishes().size() == 1);
			Publish request = Mqtt5PublishPropertiesIntegrationTests.decodePublish(broker.publishes().get(0));
			request.payload().release();
			assertThat(request.properties().responseTopic()).matches("srv/replies/[0-9a-f]{16}");
			assertThat(request.properties().correlationData()).hasSize(16);
			assertThat(broker.subscribes()).hasSize(1);
			assertThat(new String(broker.subscribes().get(0), StandardCharsets.UTF_8))
				.contains(request.properties().responseTopic());
			assertThat(reply).failsWithin(Duration.ofSeconds(10));
		}
	}

	@Test
	void requestNeedsMqtt5(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "v311-request");
		assertThatIllegalStateException()
			.isThrownBy(() -> client.request("v5/req", new byte[0], 1, null, Duration.ofSeconds(1)))
			.withMessageContaining("request(...) needs MQTT 5");
	}

}
