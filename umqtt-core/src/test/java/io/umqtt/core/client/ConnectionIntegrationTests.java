package io.umqtt.core.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.ErrorCallback;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import io.umqtt.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connection's life: last will, persistent sessions, internal reconnection,
 * keep-alive.
 */
@MqttBrokerTest
class ConnectionIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private Received watch(MqttBroker broker, String filter, int qos) {
		MqttClient watcher = this.clients.make(broker, "watcher", (b) -> b.dispatchThread(true));
		Received received = new Received();
		watcher.connect();
		watcher.subscribe(filter, qos, received);
		return received;
	}

	@Test
	void willIsPublishedWhenTheConnectionDropsAndNotAfterDisconnect(MqttBroker broker) {
		Received wills = watch(broker, "will/#", 2);
		try (TcpProxy proxy = TcpProxy.to(broker)) {
			MqttClient dying = this.clients
				.track(MqttClient.builder(Clients.id("dying"), "127.0.0.1").port(proxy.port()).reconn(false).build());
			dying.setLastWill("will/dying", "offline", false, 2);
			dying.connect();
			proxy.cutAll();
			MqttClient polite = this.clients.make(broker, "polite");
			polite.setLastWill("will/polite", "offline", false, 1);
			polite.connect();
			polite.disconnect();
			MqttClient marker = this.clients.make(broker, "marker");
			marker.connect();
			marker.publish("will/marker", "end", false, 1);
			wills.awaitCount(2);
			assertThat(wills.messages()).extracting((m) -> m.topic() + "=" + m.payloadAsString())
				.containsExactlyInAnyOrder("will/dying=offline", "will/marker=end");
			assertThat(wills.messages().stream().filter((m) -> m.topic().equals("will/dying")).findFirst().get().qos())
				.isEqualTo(2);
		}
	}

	@Test
	void closeDropsTheSocketSoTheWillIsPublished(MqttBroker broker) {
		Received wills = watch(broker, "closewill/#", 1);
		MqttClient client = this.clients.make(broker, "closer");
		client.setLastWill("closewill/c", "gone", true, 1);
		client.connect();
		client.close();
		assertThat(wills.awaitCount(1).payloads()).containsExactly("gone");
		MqttClient cleaner = this.clients.make(broker, "cleaner");
		cleaner.connect();
		cleaner.publish("closewill/c", new byte[0], true, 1);
	}

	@Test
	void persistentSessionQueuesMessagesWhileTheClientIsAway(MqttBroker broker) {
		String id = Clients.id("persistent");
		MqttClient first = this.clients.track(MqttClient.builder(id, broker.host()).port(broker.port()).build());
		first.connect(false);
		first.subscribe("offline/q", 1);
		first.disconnect();
		MqttClient publisher = this.clients.make(broker, "offline-pub");
		publisher.connect();
		for (int i = 0; i < 100; i++) {
			assertThat(publisher.publish("offline/q", "m" + i, false, 1)).isTrue();
		}
		MqttClient second = this.clients
			.track(MqttClient.builder(id, broker.host()).port(broker.port()).dispatchThread(true).build());
		Received received = new Received();
		second.setCallback(received);
		second.connect(false);
		assertThat(second.isSessionPresent()).isTrue();
		received.awaitCount(100);
		assertThat(received.payloads()).startsWith("m0", "m1", "m2").endsWith("m99");
	}

	@Test
	void reconnectsAfterTheBrokerRestartsAndRenewsEachSubscriptionWithItsQos(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "renew", (b) -> b.dispatchThread(true));
		List<String> events = new CopyOnWriteArrayList<>();
		client.errorRegisterCb(events::add);
		Received q0 = new Received();
		Received q2 = new Received();
		client.connect(true);
		client.subscribe("renew/zero", 0, q0);
		client.subscribe("renew/two", 2, q2);
		broker.stop();
		await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() == 1);
		broker.start();
		await().atMost(Duration.ofSeconds(20)).until(() -> client.getMqttsta() == 0);
		assertThat(events).containsSubsequence(ErrorCallback.RECONNECT_START, ErrorCallback.RECONNECT_SUCCESS);
		assertThat(client.reconnectCount()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> client.subscriptions().equals(java.util.Map.of("renew/zero", 0, "renew/two", 2)));
		MqttClient publisher = this.clients.make(broker, "renew-pub");
		publisher.connect();
		publisher.publish("renew/two", "kept QoS 2", false, 2);
		publisher.publish("renew/zero", "kept QoS 0", false, 2);
		assertThat(q2.awaitCount(1).messages().get(0).qos()).isEqualTo(2);
		assertThat(q0.awaitCount(1).messages().get(0).qos()).isZero();
	}

	@Test
	void publishesMadeWhileReconnectingAreSentAfterwardsInOrder(MqttBroker broker) {
		Received received = watch(broker, "during/#", 1);
		try (TcpProxy proxy = TcpProxy.to(broker)) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("during"), "127.0.0.1")
				.port(proxy.port())
				.reconnectDelay(Duration.ofMillis(200), Duration.ofMillis(400))
				.build());
			client.connect();
			proxy.refuse();
			await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() == 1);
			List<java.util.concurrent.CompletableFuture<Void>> sent = new java.util.ArrayList<>();
			for (int i = 0; i < 50; i++) {
				sent.add(client.publishAsync("during/t", ("m" + i).getBytes(), false, 1));
			}
			assertThat(sent).noneMatch(java.util.concurrent.CompletableFuture::isDone);
			proxy.heal();
			await().atMost(Duration.ofSeconds(20))
				.until(() -> sent.stream().allMatch(java.util.concurrent.CompletableFuture::isDone));
			assertThat(sent).noneMatch(java.util.concurrent.CompletableFuture::isCompletedExceptionally);
			received.awaitCount(50);
			assertThat(received.payloads())
				.containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj((i) -> "m" + i).toList());
		}
	}

	@Test
	void deadLinkIsNoticedWithinOneAndAHalfKeepAlivesAndReconnectsOnceHealed(MqttBroker broker) {
		try (TcpProxy proxy = TcpProxy.to(broker)) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("keepalive"), "127.0.0.1")
				.port(proxy.port())
				.keepalive(2)
				.connectTimeout(Duration.ofSeconds(2))
				.reconnectDelay(Duration.ofMillis(200), Duration.ofMillis(500))
				.build());
			client.connect();
			proxy.blackHole();
			long start = System.nanoTime();
			await().atMost(Duration.ofSeconds(4)).until(() -> client.getMqttsta() != 0);
			long noticedMillis = (System.nanoTime() - start) / 1_000_000;
			assertThat(noticedMillis).as("noticed after %d ms", noticedMillis).isLessThanOrEqualTo(3_000);
			assertThat(client.lastError()).contains("ping timeout");
			proxy.heal();
			await().atMost(Duration.ofSeconds(15)).until(() -> client.getMqttsta() == 0);
		}
	}

	@Test
	void withoutInternalReconnectionAServerCloseReportsTwoAndTheErrorCallbackGetsTheText(MqttBroker broker) {
		try (TcpProxy proxy = TcpProxy.to(broker)) {
			MqttClient client = this.clients.track(
					MqttClient.builder(Clients.id("noreconn"), "127.0.0.1").port(proxy.port()).reconn(false).build());
			List<String> errors = new CopyOnWriteArrayList<>();
			client.errorRegisterCb(errors::add);
			client.connect();
			proxy.cutAll();
			await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() == 2);
			await().atMost(Duration.ofSeconds(5)).until(() -> !errors.isEmpty());
			assertThat(errors.get(0)).isEqualTo("Server closed the connection");
			assertThat(client.status()).isEqualTo(MqttStatus.SERVER_CLOSED);
			// waitMsg reports the loss once, as the reference's wait_msg raises
			org.assertj.core.api.Assertions.assertThatExceptionOfType(MqttException.class)
				.isThrownBy(client::waitMsg)
				.withMessageContaining("Connection lost");
			assertThat(client.publish("t", "nope", false, 1)).isFalse();
		}
	}

}
