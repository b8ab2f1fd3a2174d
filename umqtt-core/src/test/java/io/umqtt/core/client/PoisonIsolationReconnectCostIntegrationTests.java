package io.umqtt.core.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttClient;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.FreePort;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a rejected publish costs against Mosquitto with {@code max_packet_size 200} when
 * many healthy publishes are pipelined ahead of it, with and without a broker restart
 * during isolation: every healthy one delivered, and only a few reconnects.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class PoisonIsolationReconnectCostIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private Process rejectingMosquitto(Path directory, int port) throws Exception {
		Path conf = directory.resolve("mosquitto.conf");
		Files.writeString(conf,
				"user " + System.getProperty("user.name")
						+ "\nallow_anonymous true\nmax_packet_size 200\nmax_queued_messages 0\n"
						+ "log_type all\nlog_dest file " + directory.resolve("mosquitto.log") + "\nlistener " + port
						+ " 127.0.0.1\n");
		Process mosquitto = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
			.redirectOutput(directory.resolve("stdout.log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> FreePort.isListening(port));
		return mosquitto;
	}

	private MqttClient client(int port, String id, boolean cleanSession) {
		MqttClient client = this.clients.track(MqttClient.builder(Clients.id(id), "127.0.0.1")
			.port(port)
			.publishTimeout(Duration.ofSeconds(120))
			.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
			.build());
		client.connect(cleanSession);
		return client;
	}

	/**
	 * The same mix as the restart probe without a restart: how many reconnects it costs.
	 */
	@Test
	void aPoisonPublishAmidQos1AndQos2CostsAFewReconnects(@TempDir Path directory) throws Exception {
		int port = FreePort.find();
		Process mosquitto = rejectingMosquitto(directory, port);
		try {
			MqttClient client = client(port, "iso-mix", false);
			List<CompletableFuture<Void>> healthy = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				healthy.add(client.publishAsync("fine", Integer.toString(i).getBytes(), false, 1));
			}
			CompletableFuture<Void> poison = client.publishAsync("big", new byte[500], false, 1);
			for (int i = 0; i < 50; i++) {
				healthy.add(client.publishAsync("fine", Integer.toString(i).getBytes(), false, 2));
			}
			await().atMost(Duration.ofSeconds(90))
				.until(() -> poison.isDone() && healthy.stream().allMatch(CompletableFuture::isDone));
			long failed = healthy.stream().filter(CompletableFuture::isCompletedExceptionally).count();
			System.out.println("RESULT iso-mix poison=" + poison.isCompletedExceptionally() + " healthyFailed=" + failed
					+ " reconnects=" + client.reconnectCount());
			assertThat(failed).isZero();
			assertThat(poison).isCompletedExceptionally();
			assertThat(client.reconnectCount()).isLessThanOrEqualTo(6);
		}
		finally {
			mosquitto.destroyForcibly().waitFor();
		}
	}

	/**
	 * The broker (no persistence) restarts during isolation: the session is lost and the
	 * isolated messages are queued again. Every healthy publish is delivered and the
	 * oversized one still fails.
	 */
	@Test
	void aBrokerRestartDuringIsolationLosesNoHealthyPublish(@TempDir Path directory) throws Exception {
		int port = FreePort.find();
		Process mosquitto = rejectingMosquitto(directory, port);
		try {
			MqttClient client = client(port, "iso-restart", false);
			List<CompletableFuture<Void>> healthy = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				healthy.add(client.publishAsync("fine", Integer.toString(i).getBytes(), false, 1));
			}
			CompletableFuture<Void> poison = client.publishAsync("big", new byte[500], false, 1);
			for (int i = 0; i < 50; i++) {
				healthy.add(client.publishAsync("fine", Integer.toString(i).getBytes(), false, 2));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> client.reconnectCount() >= 1);
			long beforeRestart = client.reconnectCount();
			mosquitto.destroyForcibly().waitFor();
			await().atMost(Duration.ofSeconds(10)).until(() -> !FreePort.isListening(port));
			mosquitto = rejectingMosquitto(directory, port);
			await().atMost(Duration.ofSeconds(90))
				.until(() -> poison.isDone() && healthy.stream().allMatch(CompletableFuture::isDone));
			long failed = healthy.stream().filter(CompletableFuture::isCompletedExceptionally).count();
			System.out.println("RESULT iso-restart poison=" + poison.isCompletedExceptionally() + " healthyFailed="
					+ failed + " reconnectsBeforeRestart=" + beforeRestart + " reconnects=" + client.reconnectCount()
					+ " poisonError=" + poison.handle((v, ex) -> String.valueOf(ex)).join());
			assertThat(failed).isZero();
			assertThat(poison).isCompletedExceptionally();
			// one restart: one reconnect more than the few the rejection costs
			assertThat(client.reconnectCount()).isLessThanOrEqualTo(8);
		}
		finally {
			mosquitto.destroyForcibly().waitFor();
		}
	}

}
