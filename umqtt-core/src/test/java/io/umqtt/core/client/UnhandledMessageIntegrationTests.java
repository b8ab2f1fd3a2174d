package io.umqtt.core.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.umqtt.core.AsyncMqttMessageListener;
import io.umqtt.core.MessageNotHandledException;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttClientObserver;
import io.umqtt.core.MqttMessage;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A QoS 1 or 2 message is acknowledged only once something handled it: unsubscribing
 * never strands what is queued for the filter, and a message nobody can handle is never
 * acknowledged silently.
 */
@MqttBrokerTest
class UnhandledMessageIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@Test
	void unsubscribeStillDeliversTheMessagesQueuedForTheFilter(MqttBroker broker) {
		// nobody reads while the messages arrive: they wait in the inbound queue
		MqttClient client = this.clients.make(broker, "unsub-queued", (b) -> b.inboundQueueCapacity(1_000));
		Received listener = new Received();
		client.connect();
		client.subscribe("queued/t", 1, listener);
		MqttClient feeder = this.clients.make(broker, "unsub-feeder");
		feeder.connect();
		for (int i = 0; i < 499; i++) {
			feeder.publishAsync("queued/t", ("m" + i).getBytes(), false, 1);
		}
		assertThat(feeder.publish("queued/t", "m499", false, 1)).isTrue();
		await().atMost(Duration.ofSeconds(30)).until(() -> client.pendingMessages() == 500);
		client.unsubscribe("queued/t");
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			client.checkMsg();
			return client.pendingMessages() == 0 && listener.messages().size() == 500;
		});
		assertThat(listener.payloads()).hasSize(500).startsWith("m0", "m1").endsWith("m499");
		assertThat(client.unhandledMessages()).isZero();
		// and the route is gone once the queue has passed the UNSUBACK
		client.subscribe("queued/marker", 1);
		Received callback = new Received();
		client.setCallback(callback);
		feeder.publish("queued/marker", "marker", false, 1);
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			client.checkMsg();
			return callback.messages().size() == 1;
		});
		assertThat(listener.messages()).hasSize(500);
	}

	@Test
	void anUnhandledQos1MessageOnAPersistentSessionIsLeftForTheBrokerToSendAgain(MqttBroker broker) {
		unhandledOnPersistentSessionIsRedelivered(broker, 1);
	}

	@Test
	void anUnhandledQos2MessageOnAPersistentSessionIsLeftForTheBrokerToSendAgain(MqttBroker broker) {
		unhandledOnPersistentSessionIsRedelivered(broker, 2);
	}

	private void unhandledOnPersistentSessionIsRedelivered(MqttBroker broker, int qos) {
		String id = Clients.id("unhandled-persistent");
		MqttClient client = this.clients
			.track(MqttClient.builder(id, broker.host()).port(broker.port()).dispatchThread(true).build());
		List<Boolean> told = new CopyOnWriteArrayList<>();
		client.setObserver(new MqttClientObserver() {
			@Override
			public void unhandled(int q, boolean acknowledged) {
				told.add(acknowledged);
			}
		});
		client.connect(false);
		// subscribed without a listener, and no callback set: nothing can take the
		// messages
		client.subscribe("persistent/t", qos);
		MqttClient feeder = this.clients.make(broker, "unhandled-feeder");
		feeder.connect();
		for (int i = 0; i < 3; i++) {
			assertThat(feeder.publish("persistent/t", "p" + i, false, qos)).isTrue();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> client.unhandledMessages() == 3);
		assertThat(told).containsExactly(false, false, false);
		// not acknowledged, so the broker still holds them: the next connection gets them
		// again
		client.close();
		Received received = new Received();
		client.setCallback(received);
		client.connect(false);
		assertThat(client.isSessionPresent()).isTrue();
		received.awaitCount(3);
		assertThat(received.payloads()).containsExactly("p0", "p1", "p2");
		assertThat(received.messages()).allSatisfy((message) -> assertThat(message.dup()).isTrue());
		// handled now, and acknowledged: delivery goes on behind them
		assertThat(feeder.publish("persistent/t", "after", false, qos)).isTrue();
		received.awaitCount(4);
		assertThat(received.payloads()).containsExactly("p0", "p1", "p2", "after");
	}

	@Test
	void declinedQos1MessagesGiveTheirSlotsBackAndAreSentAgainOnTheNextConnection(MqttBroker broker) {
		declinedMessagesAreSentAgain(broker, 1);
	}

	@Test
	void declinedQos2MessagesGiveTheirSlotsBackAndAreSentAgainOnTheNextConnection(MqttBroker broker) {
		declinedMessagesAreSentAgain(broker, 2);
	}

	/**
	 * A listener that declines five times more messages than it has delivery slots:
	 * delivery goes on (a declined message gives its slot back), later messages are
	 * handled and acknowledged, and the declined ones come back on the next connection.
	 */
	private void declinedMessagesAreSentAgain(MqttBroker broker, int qos) {
		String id = Clients.id("declined");
		MqttClient client = this.clients.track(MqttClient.builder(id, broker.host())
			.port(broker.port())
			.dispatchThread(true)
			.inboundQueueCapacity(10)
			.build());
		AtomicBoolean declining = new AtomicBoolean(true);
		List<MqttMessage> handled = new CopyOnWriteArrayList<>();
		AsyncMqttMessageListener listener = (message) -> {
			if (declining.get()) {
				return CompletableFuture.failedFuture(new MessageNotHandledException("stopping"));
			}
			handled.add(message);
			return CompletableFuture.completedFuture(null);
		};
		client.connect(false);
		client.subscribe("declined/t", qos, listener);
		MqttClient feeder = this.clients.make(broker, "declined-feeder");
		feeder.connect();
		for (int i = 0; i < 49; i++) {
			feeder.publishAsync("declined/t", ("d" + i).getBytes(), false, qos);
		}
		assertThat(feeder.publish("declined/t", "d49", false, qos)).isTrue();
		await().atMost(Duration.ofSeconds(30)).until(() -> client.unhandledMessages() == 50);
		declining.set(false);
		assertThat(feeder.publish("declined/t", "after", false, qos)).isTrue();
		await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 1);
		assertThat(handled.get(0).payload()).isEqualTo("after".getBytes());
		// never acknowledged, so the broker still holds the 50 declined ones for this
		// session
		client.close();
		client.connect(false);
		assertThat(client.isSessionPresent()).isTrue();
		await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 51);
		assertThat(handled.subList(1, 51)).extracting((m) -> new String(m.payload()))
			.containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj((i) -> "d" + i).toList());
		assertThat(client.unhandledMessages()).isEqualTo(50);
	}

	@Test
	void anUnhandledMessageOnACleanSessionIsAcknowledgedWithAWarningAndACount(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "unhandled-clean", (b) -> b.dispatchThread(true));
		AtomicInteger acknowledged = new AtomicInteger();
		client.setObserver(new MqttClientObserver() {
			@Override
			public void unhandled(int qos, boolean ack) {
				if (ack) {
					acknowledged.incrementAndGet();
				}
			}
		});
		client.connect();
		client.subscribe("clean/t", 1);
		client.publish("clean/t", "nobody", false, 1);
		client.publish("clean/t", "nobody either", false, 1);
		await().atMost(Duration.ofSeconds(20)).until(() -> client.unhandledMessages() == 2);
		assertThat(acknowledged).hasValue(2);
		Received received = new Received();
		client.setCallback(received);
		client.publish("clean/t", "handled", false, 1);
		received.awaitCount(1);
		assertThat(received.messages()).extracting(MqttMessage::payloadAsString).containsExactly("handled");
		assertThat(client.getMqttsta()).isZero();
	}

}
