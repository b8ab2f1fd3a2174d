package io.umqtt.core.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttConnectionListener;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@MqttBrokerTest
class BackgroundConnectIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@Test
	void connectAsyncWaitsForABrokerThatIsDownAndConnectsWhenItComesUp(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "background");
		List<String> events = new CopyOnWriteArrayList<>();
		client.addConnectionListener(new MqttConnectionListener() {
			@Override
			public void connected(MqttClient c, boolean sessionPresent, boolean reconnect) {
				events.add("connected reconnect=" + reconnect);
			}

			@Override
			public void connectionLost(MqttClient c, String reason) {
				events.add("lost");
			}
		});
		broker.stop();
		CompletableFuture<Void> connecting = client.connectAsync(true);
		await().during(Duration.ofMillis(800))
			.atMost(Duration.ofSeconds(3))
			.until(() -> client.getMqttsta() == 1 && !connecting.isDone());
		broker.start();
		await().atMost(Duration.ofSeconds(15)).until(connecting::isDone);
		assertThat(connecting).isCompleted();
		assertThat(client.getMqttsta()).isZero();
		assertThat(client.reconnectCount()).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("connected reconnect=false"));
		broker.kill();
		await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("lost"));
	}

	@Test
	void closeEndsTheBackgroundAttempts(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "background-close");
		broker.stop();
		CompletableFuture<Void> connecting = client.connectAsync(true);
		client.close();
		await().atMost(Duration.ofSeconds(5)).until(connecting::isDone);
		assertThat(connecting).isCompletedExceptionally();
		assertThat(client.getMqttsta()).isEqualTo(-1);
	}

}
