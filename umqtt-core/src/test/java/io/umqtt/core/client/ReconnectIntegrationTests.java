package io.umqtt.core.client;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttMessage;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import io.umqtt.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Internal reconnection under faults: what is retried and what is not, and that in-flight
 * QoS 1 and 2 messages survive cut links with a resumed session.
 */
@MqttBrokerTest
class ReconnectIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@Test
	void aRefusedSubscriptionRaisesWithReturnCode0x80() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.accepting()) {
			MqttClient client = this.clients
				.track(MqttClient.builder(Clients.id("refused-sub"), "127.0.0.1").port(broker.port()).build());
			client.connect();
			assertThatExceptionOfType(MqttException.class).isThrownBy(() -> client.subscribe("forbidden/#", 1))
				.satisfies((ex) -> assertThat(ex.returnCode()).isEqualTo(0x80))
				.withMessageContaining("refused the subscription to 'forbidden/#'");
			assertThat(client.subscriptions()).isEmpty();
			assertThat(client.refusedSubscriptions()).containsExactly("forbidden/#");
			assertThat(client.getMqttsta()).isZero();
		}
	}

	@Test
	void anInboundQos1MessageIsAcknowledgedOnlyAfterItsCallbackReturns() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.accepting()) {
			// PUBLISH QoS 1, topic "t", packet id 7, payload "x"
			broker.sendAfterConnack(new byte[] { 0x32, 0x06, 0x00, 0x01, 't', 0x00, 0x07, 'x' });
			java.util.concurrent.CountDownLatch inCallback = new java.util.concurrent.CountDownLatch(1);
			java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("ack-after"), "127.0.0.1")
				.port(broker.port())
				.dispatchThread(true)
				.build());
			client.setCallback((topic, msg) -> {
				inCallback.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			client.connect();
			assertThat(inCallback.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
			// the callback is still running: no PUBACK may have gone out, even after a
			// while
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(2))
				.until(() -> broker.pubAcks().isEmpty());
			release.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> broker.pubAcks().equals(List.of(7)));
		}
	}

	@ParameterizedTest(name = "CONNACK {0} on reconnect")
	@ValueSource(ints = { 1, 2, 4, 5 })
	void refusalsRetryingCannotFixStopInternalReconnection(int code) throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.connack((n) -> (n == 1) ? 0 : code)) {
			List<String> errors = new CopyOnWriteArrayList<>();
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("stop-" + code), "127.0.0.1")
				.port(broker.port())
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
				.build());
			client.errorRegisterCb(errors::add);
			client.connect();
			broker.dropAll();
			await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() == -1);
			assertThat(errors).contains("reconnect_start").anyMatch((e) -> e.contains("return code " + code));
			// no blind retries: one refused attempt, then nothing for ten back-off
			// periods
			await().during(Duration.ofMillis(1_000))
				.atMost(Duration.ofSeconds(2))
				.until(() -> broker.connections() == 2);
		}
	}

	@Test
	void serverUnavailableIsRetriedWithBackOff() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.connack((n) -> (n == 1 || n >= 4) ? 0 : 3)) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("retry-3"), "127.0.0.1")
				.port(broker.port())
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200))
				.build());
			client.connect();
			broker.dropAll();
			await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() == 0 && broker.connections() == 4);
			assertThat(client.reconnectCount()).isEqualTo(1);
		}
	}

	@Test
	void inflightMessagesSurviveCutLinksWithAResumedSessionQos2ExactlyOnceInOrder(MqttBroker broker) {
		int count = 3_000;
		List<Integer> qos2 = new CopyOnWriteArrayList<>();
		List<Integer> qos1 = new CopyOnWriteArrayList<>();
		MqttClient subscriber = this.clients.make(broker, "resume-sub",
				(b) -> b.dispatchThread(true).inboundQueueCapacity(10_000));
		subscriber.connect();
		subscriber.subscribe("resume/2", 2, (MqttMessage m) -> qos2.add(ByteBuffer.wrap(m.payload()).getInt()));
		subscriber.subscribe("resume/1", 1, (MqttMessage m) -> qos1.add(ByteBuffer.wrap(m.payload()).getInt()));
		try (TcpProxy proxy = TcpProxy.to(broker)) {
			MqttClient publisher = this.clients.track(MqttClient.builder(Clients.id("resume-pub"), "127.0.0.1")
				.port(proxy.port())
				.maxInflight(200)
				.publishTimeout(Duration.ofSeconds(60))
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200))
				.build());
			publisher.connect(false);
			List<CompletableFuture<Void>> sent = new ArrayList<>();
			Thread feeder = new Thread(() -> {
				for (int i = 0; i < count; i++) {
					byte[] n = ByteBuffer.allocate(4).putInt(i).array();
					sent.add(publisher.publishAsync("resume/2", n, false, 2));
					sent.add(publisher.publishAsync("resume/1", n, false, 1));
				}
			}, "feeder");
			feeder.start();
			// cut the publisher's link three times while messages are in flight
			for (int cut = 1; cut <= 3; cut++) {
				int threshold = cut * count / 4;
				await().atMost(Duration.ofSeconds(30)).until(() -> qos2.size() >= threshold);
				proxy.cutAll();
				await().atMost(Duration.ofSeconds(10)).until(() -> publisher.getMqttsta() == 0);
				assertThat(publisher.isSessionPresent()).isTrue();
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> !feeder.isAlive());
			await().atMost(Duration.ofSeconds(60)).until(() -> sent.stream().allMatch(CompletableFuture::isDone));
			assertThat(sent).noneMatch(CompletableFuture::isCompletedExceptionally);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> qos2.size() >= count && qos1.stream().distinct().count() == count);
			assertThat(publisher.reconnectCount()).isEqualTo(3);
		}
		// QoS 2: each message exactly once, in publishing order
		assertThat(qos2).hasSize(count);
		for (int i = 0; i < count; i++) {
			assertThat(qos2.get(i)).isEqualTo(i);
		}
		// QoS 1: every message at least once
		assertThat(qos1.stream().distinct().count()).isEqualTo(count);
	}

}
