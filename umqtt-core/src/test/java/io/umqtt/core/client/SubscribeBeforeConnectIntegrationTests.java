package io.umqtt.core.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A subscription asked for before the first {@code connect()} is remembered and goes out
 * with the connection, with internal reconnection on and off alike; after a lost
 * connection with reconnection off a subscribe fails at once (the application reconnects
 * and subscribes again itself).
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class SubscribeBeforeConnectIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aSubscribeBeforeTheFirstConnectGoesOutWithTheConnection(boolean reconn, MqttBroker broker) throws Exception {
		MqttClient client = this.clients
			.track(MqttClient.builder(Clients.id("early-sub"), "127.0.0.1").port(broker.port()).reconn(reconn).build());
		List<String> received = new CopyOnWriteArrayList<>();
		client.setCallback((topic, payload) -> received.add(topic + "=" + new String(payload)));
		CompletableFuture<Integer> granted = client.subscribeAsync("early/" + reconn, 1, null);
		client.connect();
		assertThat(granted).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(1);
		assertThat(client.subscriptions()).containsEntry("early/" + reconn, 1);
		MqttClient publisher = this.clients
			.track(MqttClient.builder(Clients.id("early-pub"), "127.0.0.1").port(broker.port()).build());
		publisher.connect();
		assertThat(publisher.publish("early/" + reconn, "1".getBytes(), false, 1)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			client.checkMsg();
			return received.contains("early/" + reconn + "=1");
		});
	}

	@Test
	void aSubscribeAfterALostConnectionWithReconnectionOffFailsAtOnce(MqttBroker broker) throws Exception {
		MqttClient client = this.clients
			.track(MqttClient.builder(Clients.id("lost-sub"), "127.0.0.1").port(broker.port()).reconn(false).build());
		client.connect();
		broker.stop();
		await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() != 0);
		long start = System.nanoTime();
		assertThatExceptionOfType(MqttException.class).isThrownBy(() -> client.subscribe("lost", 1))
			.withMessageContaining("Not connected");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		broker.start();
	}

}
