package io.umqtt.core.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttClient;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MosquittoBroker;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A healthy QoS 1 publish in flight when a Mosquitto that persists sessions is killed and
 * restarted before the client's first reconnect attempt: the broker comes back holding
 * the clean session false client's session, accepts the first attempt, and never rejected
 * the message. It must be resent, not given up as rejected.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class FastBrokerRestartIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private static void signal(long pid, String signal) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
		assertThat(kill.waitFor()).isZero();
	}

	private void fastRestartWithPublishInFlight(MqttBroker broker, int attempts, boolean cleanSession)
			throws Exception {
		MqttClient client = this.clients.track(MqttClient.builder(Clients.id("restart-poison"), "127.0.0.1")
			.port(broker.port())
			.maxPublishAttempts(attempts)
			.publishTimeout(Duration.ofSeconds(90))
			.reconnectDelay(Duration.ofSeconds(3), Duration.ofSeconds(3))
			.build());
		client.connect(cleanSession);
		assertThat(client.publish("probe/warm", "0".getBytes(), false, 1)).isTrue();
		CompletableFuture<Void> healthy = null;
		for (int i = 0; i < attempts; i++) {
			// the broker has the client's session on disk (as after any autosave)
			broker.save();
			long pid = ((MosquittoBroker) broker).pid();
			signal(pid, "STOP");
			if (healthy == null) {
				healthy = client.publishAsync("probe/healthy", "1".getBytes(), false, 1);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> client.inflightCount() == 1);
			// a supervisor kills the hung broker and starts it again at once
			broker.kill();
			broker.start();
			CompletableFuture<Void> h = healthy;
			await().atMost(Duration.ofSeconds(20)).until(() -> client.getMqttsta() == 0 || h.isDone());
			if (i < attempts - 1) {
				// SIGSTOP again as soon as the resend is written: wait for reconnection
				await().atMost(Duration.ofSeconds(20)).until(() -> client.getMqttsta() == 0);
			}
		}
		CompletableFuture<Void> h = healthy;
		await().atMost(Duration.ofSeconds(30)).until(h::isDone);
		assertThat(healthy).as("a fast restart of a persisting broker is no rejection: the message is resent")
			.isCompletedWithValue(null);
	}

	@Test
	void fastRestartKeepingTheSessionWithOneAttempt(MqttBroker broker) throws Exception {
		fastRestartWithPublishInFlight(broker, 1, false);
	}

	@Test
	void fastRestartWithACleanSessionAndOneAttempt(MqttBroker broker) throws Exception {
		fastRestartWithPublishInFlight(broker, 1, true);
	}

}
