package io.umqtt.core.client;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.OfflineOverflow;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import io.umqtt.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publishes made while disconnected wait in a bounded offline buffer, are sent in order
 * after the reconnect, and overflow as the policy says.
 */
@MqttBrokerTest
class OfflineBufferIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private List<Integer> watch(MqttBroker broker, String topic) {
		List<Integer> received = new java.util.concurrent.CopyOnWriteArrayList<>();
		MqttClient watcher = this.clients.make(broker, "offline-watch", (b) -> b.dispatchThread(true));
		watcher.connect();
		watcher.subscribe(topic, 1, (MqttMessage m) -> received.add(ByteBuffer.wrap(m.payload()).getInt()));
		return received;
	}

	private MqttClient offlineClient(TcpProxy proxy, String prefix, OfflineOverflow policy, int capacity, long bytes) {
		MqttClient client = this.clients.track(MqttClient.builder(Clients.id(prefix), "127.0.0.1")
			.port(proxy.port())
			.offlineQueueCapacity(capacity)
			.offlineQueueBytes(bytes)
			.offlineOverflow(policy)
			.outboundQueueCapacity(10)
			.publishTimeout(Duration.ofSeconds(1))
			.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(200))
			.build());
		client.connect();
		proxy.refuse();
		await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() == 1);
		return client;
	}

	private static List<CompletableFuture<Void>> publish(MqttClient client, String topic, int from, int to) {
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		for (int i = from; i < to; i++) {
			sent.add(client.publishAsync(topic, ByteBuffer.allocate(4).putInt(i).array(), false, 0));
		}
		return sent;
	}

	@Test
	void failNewKeepsTheFirstMessagesAndFailsTheRest(MqttBroker broker) {
		List<Integer> received = watch(broker, "offline/fail");
		try (TcpProxy proxy = TcpProxy.to(broker)) {
			MqttClient client = offlineClient(proxy, "fail-new", OfflineOverflow.FAIL_NEW, 5, 1_000_000);
			List<CompletableFuture<Void>> sent = publish(client, "offline/fail", 0, 8);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> sent.subList(5, 8).stream().allMatch(CompletableFuture::isDone));
			assertThat(sent.subList(5, 8)).allMatch(CompletableFuture::isCompletedExceptionally);
			assertThat(sent.subList(0, 5)).noneMatch(CompletableFuture::isDone);
			proxy.heal();
			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 5);
			assertThat(received).containsExactly(0, 1, 2, 3, 4);
		}
	}

	@Test
	void dropOldestKeepsTheNewestMessagesInOrder(MqttBroker broker) {
		List<Integer> received = watch(broker, "offline/drop");
		try (TcpProxy proxy = TcpProxy.to(broker)) {
			MqttClient client = offlineClient(proxy, "drop-oldest", OfflineOverflow.DROP_OLDEST, 5, 1_000_000);
			List<CompletableFuture<Void>> sent = publish(client, "offline/drop", 0, 8);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> sent.subList(0, 3).stream().allMatch(CompletableFuture::isDone));
			assertThat(sent.subList(0, 3)).allMatch(CompletableFuture::isCompletedExceptionally);
			assertThat(sent.get(0).handle((ok, failure) -> failure).join()).isInstanceOf(MqttException.class)
				.hasMessageContaining("oldest first");
			proxy.heal();
			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 5);
			assertThat(received).containsExactly(3, 4, 5, 6, 7);
		}
	}

	@Test
	void theByteBoundCountsToo(MqttBroker broker) {
		try (TcpProxy proxy = TcpProxy.to(broker)) {
			// room for two 4-byte payloads
			MqttClient client = offlineClient(proxy, "bytes", OfflineOverflow.FAIL_NEW, 100, 8);
			List<CompletableFuture<Void>> sent = publish(client, "offline/bytes", 0, 3);
			await().atMost(Duration.ofSeconds(5)).until(() -> sent.get(2).isDone());
			assertThat(sent.get(2)).isCompletedExceptionally();
			assertThat(sent.subList(0, 2)).noneMatch(CompletableFuture::isDone);
		}
	}

	@Test
	void blockMakesPublishersWaitAndLosesNothing(MqttBroker broker) {
		List<Integer> received = watch(broker, "offline/block");
		try (TcpProxy proxy = TcpProxy.to(broker)) {
			MqttClient client = offlineClient(proxy, "block", OfflineOverflow.BLOCK, 5, 1_000_000);
			// 5 in the offline buffer and 10 in the queue to the network: the 16th
			// publisher waits,
			// then gives up after the publish timeout
			List<CompletableFuture<Void>> sent = publish(client, "offline/block", 0, 16);
			assertThat(sent.subList(0, 15)).noneMatch(CompletableFuture::isDone);
			assertThat(sent.get(15)).isCompletedExceptionally();
			proxy.heal();
			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 15);
			assertThat(received).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 15).boxed().toList());
			await().atMost(Duration.ofSeconds(5))
				.until(() -> sent.subList(0, 15).stream().allMatch(CompletableFuture::isDone));
			assertThat(sent.subList(0, 15)).noneMatch(CompletableFuture::isCompletedExceptionally);
		}
	}

}
