package io.umqtt.core.client;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import io.umqtt.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link CrashRecoveryIntegrationTests} on MQTT 5: a publisher process with a session
 * expiry and the file session store dies (SIGKILL) with QoS 1 and QoS 2 messages in
 * flight; a new process with the same client id resumes the session the broker kept
 * [MQTT-3.1.2-23] and resends them [MQTT-4.4.0-1]: every message arrives, QoS 2 exactly
 * once and in order. Against Mosquitto 2.0; the topics are the child's, {@code crash/t}
 * and {@code crash/1}.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class Mqtt5CrashRecoveryIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@TempDir
	Path storeDir;

	@Test
	void aNewProcessResumesTheSessionOn5AndResendsWhatAKilledOneHadInFlight(MqttBroker broker) throws Exception {
		int count = 200;
		List<Integer> received = new CopyOnWriteArrayList<>();
		List<Integer> receivedQos1 = new CopyOnWriteArrayList<>();
		MqttClient subscriber = this.clients.make(broker, "v5-crash-sub",
				(b) -> b.version(5).dispatchThread(true).inboundQueueCapacity(5_000));
		subscriber.connect();
		subscriber.subscribe("crash/t", 2, (MqttMessage m) -> received.add(ByteBuffer.wrap(m.payload()).getInt()));
		subscriber.subscribe("crash/1", 1, (MqttMessage m) -> receivedQos1.add(ByteBuffer.wrap(m.payload()).getInt()));
		String clientId = Clients.id("v5-crash-pub");
		try (TcpProxy proxy = TcpProxy.to(broker)) {
			Process first = child(proxy.port(), clientId, count);
			try {
				BufferedReader out = new BufferedReader(
						new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
				assertThat(CrashRecoveryIntegrationTests.readUntil(out, "ACKED")).isTrue();
				await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received).hasSize(count / 2));
				// the second half goes into the store but never reaches the broker
				proxy.blackHole();
				OutputStream in = first.getOutputStream();
				in.write("go\n".getBytes(StandardCharsets.UTF_8));
				in.flush();
				assertThat(CrashRecoveryIntegrationTests.readUntil(out, "PERSISTED")).isTrue();
			}
			finally {
				first.destroyForcibly();
				first.waitFor(10, TimeUnit.SECONDS);
			}
			assertThat(received).hasSize(count / 2);
			proxy.heal();
			Process second = child(proxy.port(), clientId, 0);
			try {
				BufferedReader out = new BufferedReader(
						new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8));
				// the broker kept the session through the crash [MQTT-3.1.2-23]
				assertThat(CrashRecoveryIntegrationTests.readUntil(out, "RESUMED")).isTrue();
				assertThat(CrashRecoveryIntegrationTests.readUntil(out, "DONE",
						(line) -> System.out.println("second publisher: " + line)))
					.isTrue();
				assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
			}
			finally {
				second.destroyForcibly();
			}
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> received.size() >= count && new HashSet<>(receivedQos1).size() == count);
		assertThat(received).hasSize(count);
		assertThat(new HashSet<>(receivedQos1)).hasSize(count);
		for (int i = 0; i < count; i++) {
			assertThat(received.get(i)).as("message %d", i).isEqualTo(i);
		}
	}

	private Process child(int port, String clientId, int count) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				StoreChildPublisher.class.getName(), "127.0.0.1", Integer.toString(port), clientId,
				this.storeDir.toString(), "0", Integer.toString(count), "5")
			.redirectErrorStream(true)
			.start();
	}

}
