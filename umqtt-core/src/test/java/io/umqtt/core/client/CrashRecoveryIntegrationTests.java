package io.umqtt.core.client;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import io.umqtt.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A publisher process dies (SIGKILL) with QoS 1 and QoS 2 messages in flight; a new
 * process with the same client id and the file session store finishes them: every message
 * arrives, QoS 2 exactly once and in order.
 */
@MqttBrokerTest
class CrashRecoveryIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@TempDir
	Path storeDir;

	@Test
	void aNewProcessResendsWhatAKilledOneHadInFlight(MqttBroker broker) throws Exception {
		org.junit.jupiter.api.Assumptions.assumeTrue(broker.kind() != io.umqtt.test.BrokerKind.EMBEDDED,
				"Moquette 0.17 does not complete QoS 2 messages resent on a resumed session (observed, not "
						+ "diagnosed); this test needs Mosquitto");
		int count = 1_000;
		List<Integer> received = new CopyOnWriteArrayList<>();
		List<Integer> receivedQos1 = new CopyOnWriteArrayList<>();
		MqttClient subscriber = this.clients.make(broker, "crash-sub",
				(b) -> b.dispatchThread(true).inboundQueueCapacity(5_000));
		subscriber.connect();
		subscriber.subscribe("crash/t", 2, (MqttMessage m) -> received.add(ByteBuffer.wrap(m.payload()).getInt()));
		subscriber.subscribe("crash/1", 1, (MqttMessage m) -> receivedQos1.add(ByteBuffer.wrap(m.payload()).getInt()));
		String clientId = Clients.id("crash-pub");
		try (TcpProxy proxy = TcpProxy.to(broker)) {
			Process first = child(proxy.port(), clientId, count);
			try {
				BufferedReader out = new BufferedReader(
						new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
				assertThat(readUntil(out, "ACKED")).isTrue();
				await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == count / 2);
				proxy.blackHole();
				OutputStream in = first.getOutputStream();
				in.write("go\n".getBytes(StandardCharsets.UTF_8));
				in.flush();
				assertThat(readUntil(out, "PERSISTED")).isTrue();
			}
			finally {
				// SIGKILL: no DISCONNECT, no shutdown hook, nothing flushed on the way
				// out
				first.destroyForcibly();
				first.waitFor(10, TimeUnit.SECONDS);
			}
			assertThat(received).hasSize(count / 2);
			proxy.heal();
			Process second = child(proxy.port(), clientId, 0);
			try {
				BufferedReader out = new BufferedReader(
						new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8));
				assertThat(readUntil(out, "DONE", (line) -> System.out.println("second publisher: " + line))).isTrue();
				assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
			}
			finally {
				second.destroyForcibly();
			}
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> received.size() >= count && new java.util.HashSet<>(receivedQos1).size() == count);
		assertThat(received).hasSize(count);
		// QoS 1: every message at least once
		assertThat(new java.util.HashSet<>(receivedQos1)).hasSize(count);
		for (int i = 0; i < count; i++) {
			assertThat(received.get(i)).as("message %d", i).isEqualTo(i);
		}
		try (var files = Files.list(this.storeDir)) {
			assertThat(files.filter((f) -> !f.getFileName().toString().endsWith(".log"))).as("no lock files").isEmpty();
		}
	}

	private Process child(int port, String clientId, int count) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				StoreChildPublisher.class.getName(), "127.0.0.1", Integer.toString(port), clientId,
				this.storeDir.toString(), "0", Integer.toString(count))
			.redirectErrorStream(true)
			.start();
	}

	/**
	 * Reads the child's output until {@code marker}: false at end of output or on
	 * {@code NOT <marker>}; a {@link java.util.concurrent.TimeoutException} after 60 s,
	 * so a child that hangs without printing fails the test instead of blocking it (the
	 * callers' {@code finally} kills it).
	 */
	static boolean readUntil(BufferedReader out, String marker) throws Exception {
		return readUntil(out, marker, (line) -> {
		});
	}

	static boolean readUntil(BufferedReader out, String marker, java.util.function.Consumer<String> echo)
			throws Exception {
		java.util.concurrent.CompletableFuture<Boolean> found = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> {
				try {
					String line;
					while ((line = out.readLine()) != null) {
						echo.accept(line);
						if (line.equals(marker)) {
							return true;
						}
						if (line.equals("NOT " + marker)) {
							return false;
						}
					}
					return false;
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}, (task) -> {
				Thread reader = new Thread(task, "child-output");
				reader.setDaemon(true);
				reader.start();
			});
		return found.get(60, TimeUnit.SECONDS);
	}

}
