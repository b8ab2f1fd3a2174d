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
 * A healthy QoS 1 publish in flight when Mosquitto hangs and is then SIGKILLed (as a
 * supervisor does with a hung broker) and restarted: the broker never rejected the
 * message, so the client must resend it on the next connection, whatever
 * {@code maxPublishAttempts} says; the builder documents that restarts count against no
 * message.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class BrokerKillResendIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private static void signal(long pid, String signal) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
		assertThat(kill.waitFor()).isZero();
	}

	@Test
	void aPublishInFlightWhenTheBrokerIsKilledIsResentNotGivenUp(MqttBroker broker) throws Exception {
		MqttClient client = this.clients.track(MqttClient.builder(Clients.id("kill-poison"), "127.0.0.1")
			.port(broker.port())
			.maxPublishAttempts(1)
			.publishTimeout(Duration.ofSeconds(60))
			.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200))
			.build());
		client.connect(false);
		assertThat(client.publish("probe/warm", "0".getBytes(), false, 1)).isTrue();
		long pid = ((MosquittoBroker) broker).pid();
		// the broker hangs: the PUBLISH reaches its socket, it is never read
		signal(pid, "STOP");
		CompletableFuture<Void> healthy = client.publishAsync("probe/healthy", "1".getBytes(), false, 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> client.inflightCount() == 1);
		// a supervisor kills the hung broker and starts it again
		broker.kill();
		broker.start();
		await().atMost(Duration.ofSeconds(20)).until(healthy::isDone);
		assertThat(healthy).as("a broker restart is no rejection: the message is resent").isCompletedWithValue(null);
	}

}
