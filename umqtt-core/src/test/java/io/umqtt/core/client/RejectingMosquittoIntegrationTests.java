package io.umqtt.core.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import io.umqtt.test.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real broker that rejects a publish by closing the connection: Mosquitto with
 * {@code max_packet_size 200} disconnects a client that sends a bigger packet. The poison
 * publish fails after {@code maxPublishAttempts} connections, and the client carries on.
 */
class RejectingMosquittoIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@Test
	void anOversizedPublishMosquittoClosesOnFailsAfterThreeAttempts(@TempDir Path directory) throws Exception {
		int port = FreePort.find();
		Path conf = directory.resolve("mosquitto.conf");
		Files.writeString(conf,
				"user " + System.getProperty("user.name") + "\nallow_anonymous true\nmax_packet_size 200\n"
						+ "log_dest file " + directory.resolve("mosquitto.log") + "\nlistener " + port
						+ " 127.0.0.1\n");
		Process mosquitto = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
			.redirectOutput(directory.resolve("stdout.log").toFile())
			.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> FreePort.isListening(port));
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("rejected"), "127.0.0.1")
				.port(port)
				.publishTimeout(Duration.ofSeconds(60))
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
				.build());
			client.connect(false);
			assertThat(client.publish("fine", "1".getBytes(), false, 1)).isTrue();
			CompletableFuture<Void> poison = client.publishAsync("big", new byte[500], false, 1);
			assertThat(poison).failsWithin(Duration.ofSeconds(20))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(MqttException.class)
				.withMessageContaining("closed 3 times");
			await().atMost(Duration.ofSeconds(10)).until(() -> client.status() == MqttStatus.CONNECTED);
			assertThat(client.publish("fine", "2".getBytes(), false, 1)).isTrue();
		}
		finally {
			mosquitto.destroyForcibly().waitFor();
		}
	}

	/**
	 * MQTT 5: Mosquitto answers an oversized PUBLISH from an MQTT 5 client with
	 * DISCONNECT 0x95 (Packet too large) before the reset. A publish made before the
	 * CONNACK announced the limit is sent once connected; it must fail after
	 * {@code maxPublishAttempts}, and the healthy ones behind it be delivered. (When the
	 * CONNACK comes first, the publish fails at once, beyond the server's Maximum Packet
	 * Size, and the probe passes anyway.)
	 */
	@Test
	void mqtt5AnOversizedPublishMosquittoDisconnectsWith0x95FailsAndTheRestGoOn(@TempDir Path directory)
			throws Exception {
		int port = FreePort.find();
		Path conf = directory.resolve("mosquitto.conf");
		Files.writeString(conf,
				"user " + System.getProperty("user.name") + "\nallow_anonymous true\nmax_packet_size 200\n"
						+ "log_dest file " + directory.resolve("mosquitto.log") + "\nlistener " + port
						+ " 127.0.0.1\n");
		Process mosquitto = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
			.redirectOutput(directory.resolve("stdout.log").toFile())
			.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> FreePort.isListening(port));
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("rejected5"), "127.0.0.1")
				.port(port)
				.version(5)
				.sessionExpiry(Duration.ofHours(1))
				.publishTimeout(Duration.ofSeconds(60))
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
				.build());
			CompletableFuture<Void> connected = client.connectAsync(false);
			CompletableFuture<Void> poison = client.publishAsync("big", new byte[500], false, 1);
			java.util.List<CompletableFuture<Void>> healthy = new java.util.ArrayList<>();
			for (int i = 0; i < 3; i++) {
				healthy.add(client.publishAsync("fine", ("m" + i).getBytes(), false, 1));
			}
			try {
				await().atMost(Duration.ofSeconds(20))
					.until(() -> poison.isDone() && healthy.stream().allMatch(CompletableFuture::isDone));
			}
			finally {
				System.out.println("rejected5 connected=" + connected.isDone() + " reconnects="
						+ client.reconnectCount() + " lastDisconnect=" + client.lastDisconnect() + " poison="
						+ poison.handle((v, ex) -> String.valueOf(ex)).getNow("pending"));
			}
			assertThat(poison).isCompletedExceptionally();
			for (CompletableFuture<Void> future : healthy) {
				assertThat(future).isCompletedWithValue(null);
			}
		}
		finally {
			mosquitto.destroyForcibly().waitFor();
		}
	}

}
