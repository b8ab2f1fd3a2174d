package io.umqtt.core.client;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A session store that fails (a full disk) fails the publishes it could not record, with
 * its cause, gives back every slot, and says so in the status and {@code lastError}; once
 * it records again, publishing goes on.
 */
@MqttBrokerTest
class StoreFailureIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@Test
	void aFailingStoreFailsThePublishesReleasesTheirSlotsAndShowsInTheStatus(MqttBroker broker) throws Exception {
		FailingStore store = new FailingStore();
		MqttClient client = this.clients.make(broker, "store-fails",
				(b) -> b.sessionStore(store).maxInflight(2).publishTimeout(Duration.ofSeconds(20)));
		client.connect();
		store.failing = true;
		List<CompletableFuture<Void>> publishes = new ArrayList<>();
		// more than the in-flight window: each one failed must give its slot back
		for (int i = 0; i < 5; i++) {
			publishes.add(client.publishAsync("store/fails", ("m" + i).getBytes(), false, 1 + (i % 2)));
		}
		for (CompletableFuture<Void> publish : publishes) {
			assertThatThrownBy(() -> publish.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.cause()
				.isInstanceOf(MqttException.class)
				.hasMessageContaining("could not record")
				.hasCauseInstanceOf(UncheckedIOException.class)
				.rootCause()
				.hasMessage("No space left on device");
		}
		assertThat(client.inflightCount()).isZero();
		assertThat(client.status()).isEqualTo(MqttStatus.ERROR);
		assertThat(client.lastError()).contains("Session store failed").contains("No space left on device");

		store.failing = false;
		assertThat(client.publish("store/fails", "after".getBytes(), false, 1)).isTrue();
		assertThat(client.status()).isEqualTo(MqttStatus.CONNECTED);
		assertThat(client.lastError()).isNull();
		await().atMost(Duration.ofSeconds(10)).until(() -> client.inflightCount() == 0);
	}

}
