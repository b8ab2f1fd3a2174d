package io.umqtt.core.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.umqtt.core.MqttClient;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.FreePort;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The poison-publish rule with pipelining: a healthy publish must never be failed as
 * rejected because the broker closed on another message, or crashed and restarted, and a
 * truly rejected one fails after {@code maxPublishAttempts} without a reconnect loop.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class PoisonRuleIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	/**
	 * A persisting Mosquitto killed with SIGKILL (not stopped first) while the client
	 * streams QoS 1 publishes, restarted at once, five times: every publish succeeds. A
	 * kill in the moment between Mosquitto reading a PUBLISH and answering it closes the
	 * connection in order, as a rejection does; with many in flight that close only
	 * isolates them and blames none.
	 */
	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void sigkillOfARunningBrokerWhileStreamingFailsNoHealthyPublish(boolean cleanSession, MqttBroker broker)
			throws Exception {
		MqttClient client = this.clients.track(MqttClient.builder(Clients.id("kill-stream"), "127.0.0.1")
			.port(broker.port())
			.maxPublishAttempts(1)
			.publishTimeout(Duration.ofSeconds(120))
			.reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(2))
			.build());
		client.connect(cleanSession);
		assertThat(client.publish("probe/warm", "0".getBytes(), false, 1)).isTrue();
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		AtomicInteger acked = new AtomicInteger();
		AtomicBoolean running = new AtomicBoolean(true);
		Semaphore outstanding = new Semaphore(200);
		List<CompletableFuture<Void>> all = new CopyOnWriteArrayList<>();
		Thread streamer = new Thread(() -> {
			int i = 0;
			while (running.get()) {
				try {
					outstanding.acquire();
				}
				catch (InterruptedException ex) {
					return;
				}
				CompletableFuture<Void> f = client.publishAsync("probe/stream", Integer.toString(i++).getBytes(), false,
						1);
				all.add(f);
				f.whenComplete((v, ex) -> {
					outstanding.release();
					if (ex != null) {
						failures.add(ex);
					}
					else {
						acked.incrementAndGet();
					}
				});
			}
		});
		streamer.start();
		try {
			for (int round = 0; round < 5; round++) {
				broker.save();
				int before = acked.get();
				await().atMost(Duration.ofSeconds(30)).until(() -> acked.get() > before + 300);
				broker.kill();
				broker.start();
			}
		}
		finally {
			running.set(false);
			streamer.join(10_000);
		}
		await().atMost(Duration.ofSeconds(120)).until(() -> all.stream().allMatch(CompletableFuture::isDone));
		System.out.println(
				"RESULT sigkill cleanSession=" + cleanSession + " published=" + all.size() + " acked=" + acked.get()
						+ " failed=" + failures.size() + " first=" + (failures.isEmpty() ? "-" : failures.get(0)));
		assertThat(failures).as("healthy publishes failed by a SIGKILL + fast restart").isEmpty();
	}

	private Process rejectingMosquitto(Path directory, int port) throws Exception {
		Path conf = directory.resolve("mosquitto.conf");
		Files.writeString(conf,
				"user " + System.getProperty("user.name") + "\nallow_anonymous true\nmax_packet_size 200\n"
						+ "connection_messages true\nlog_dest file " + directory.resolve("mosquitto.log")
						+ "\nlistener " + port + " 127.0.0.1\n");
		Process mosquitto = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
			.redirectOutput(directory.resolve("stdout.log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> FreePort.isListening(port));
		return mosquitto;
	}

	private static long connections(Path directory) throws Exception {
		return Files.readAllLines(directory.resolve("mosquitto.log"))
			.stream()
			.filter((line) -> line.contains("New client connected"))
			.count();
	}

	/**
	 * Mosquitto {@code max_packet_size 200}: an oversized publish written together with a
	 * healthy one right behind it. Only the oversized one may fail.
	 */
	@Test
	void aHealthyPublishRightBehindAnOversizedOneIsNotBlamed(@TempDir Path directory) throws Exception {
		int port = FreePort.find();
		Process mosquitto = rejectingMosquitto(directory, port);
		try {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("behind-poison"), "127.0.0.1")
				.port(port)
				.publishTimeout(Duration.ofSeconds(60))
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
				.build());
			client.connect(false);
			assertThat(client.publish("fine", "1".getBytes(), false, 1)).isTrue();
			CompletableFuture<Void> poison = client.publishAsync("big", new byte[500], false, 1);
			CompletableFuture<Void> healthy = client.publishAsync("fine", "2".getBytes(), false, 1);
			await().atMost(Duration.ofSeconds(40)).until(() -> poison.isDone() && healthy.isDone());
			System.out.println("RESULT behind-poison poison=" + describe(poison) + " healthy=" + describe(healthy)
					+ " connections=" + connections(directory));
			assertThat(poison).isCompletedExceptionally();
			assertThat(describe(poison)).contains("closed 3 times");
			assertThat(healthy).as("the healthy publish behind the oversized one").isCompletedWithValue(null);
			assertThat(client.reconnectCount()).isLessThanOrEqualTo(6);
		}
		finally {
			mosquitto.destroyForcibly().waitFor();
		}
	}

	/**
	 * Mosquitto {@code max_packet_size 200}: an oversized publish while the application
	 * keeps publishing healthy QoS 1 messages (one every 50 ms). The oversized one must
	 * fail after its attempts and no healthy one may fail; the connection must settle.
	 */
	@Test
	void anOversizedPublishAmidAStreamOfHealthyOnesFailsAloneAndTheConnectionSettles(@TempDir Path directory)
			throws Exception {
		int port = FreePort.find();
		Process mosquitto = rejectingMosquitto(directory, port);
		try {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("amid-poison"), "127.0.0.1")
				.port(port)
				.publishTimeout(Duration.ofSeconds(60))
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
				.build());
			client.connect(false);
			assertThat(client.publish("fine", "1".getBytes(), false, 1)).isTrue();
			CompletableFuture<Void> poison = client.publishAsync("big", new byte[500], false, 1);
			List<CompletableFuture<Void>> healthy = new CopyOnWriteArrayList<>();
			long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			while (System.nanoTime() < end) {
				healthy.add(client.publishAsync("fine", "h".getBytes(), false, 1));
				await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(1)).until(() -> true);
			}
			await().atMost(Duration.ofSeconds(60))
				.until(() -> poison.isDone() && healthy.stream().allMatch(CompletableFuture::isDone));
			long failed = healthy.stream().filter(CompletableFuture::isCompletedExceptionally).count();
			System.out.println("RESULT amid-poison poison=" + describe(poison) + " healthy=" + healthy.size()
					+ " healthyFailed=" + failed + " connections=" + connections(directory) + " reconnects="
					+ client.reconnectCount());
			assertThat(failed).as("healthy publishes failed as rejected").isZero();
			assertThat(poison).isCompletedExceptionally();
			assertThat(describe(poison)).contains("closed 3 times");
			// one close isolates, three count against the oversized one
			assertThat(client.reconnectCount()).isLessThanOrEqualTo(6);
		}
		finally {
			mosquitto.destroyForcibly().waitFor();
		}
	}

	private static String describe(CompletableFuture<Void> f) {
		if (!f.isDone()) {
			return "pending";
		}
		return f.handle((v, ex) -> (ex != null) ? "failed(" + ex.getMessage() + ")" : "ok").join();
	}

}
