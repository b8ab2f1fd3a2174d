package io.umqtt.core.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * umqtt and Mosquitto's own command-line clients talk to each other, both ways.
 */
@MqttBrokerTest
@org.junit.jupiter.api.condition.EnabledIf(value = "mosquittoClientsInstalled",
		disabledReason = "needs mosquitto_pub and mosquitto_sub (Debian package mosquitto-clients)")
class InteropIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	static boolean mosquittoClientsInstalled() {
		return Files.isExecutable(Path.of("/usr/bin/mosquitto_pub"))
				&& Files.isExecutable(Path.of("/usr/bin/mosquitto_sub"));
	}

	@Test
	void receivesWhatMosquittoPubSendsAtEveryQos(MqttBroker broker) throws Exception {
		MqttClient client = this.clients.make(broker, "interop-sub", (b) -> b.dispatchThread(true));
		Received received = new Received();
		client.setCallback(received);
		client.connect();
		client.subscribe("interop/in/#", 2);
		for (int qos = 0; qos <= 2; qos++) {
			run(List.of("/usr/bin/mosquitto_pub", "-h", broker.host(), "-p", Integer.toString(broker.port()), "-q",
					Integer.toString(qos), "-t", "interop/in/" + qos, "-m", "from mosquitto_pub " + qos));
		}
		received.awaitCount(3);
		assertThat(received.payloads()).containsExactlyInAnyOrder("from mosquitto_pub 0", "from mosquitto_pub 1",
				"from mosquitto_pub 2");
	}

	@Test
	void mosquittoSubReceivesWhatUmqttPublishes(MqttBroker broker) throws Exception {
		Path out = Files.createTempFile("mosquitto_sub", ".txt");
		Process sub = new ProcessBuilder("stdbuf", "-oL", "/usr/bin/mosquitto_sub", "-h", broker.host(), "-p",
				Integer.toString(broker.port()), "-q", "2", "-t", "interop/out/#", "-C", "3", "-W", "20", "-v", "-d")
			.redirectErrorStream(true)
			.redirectOutput(out.toFile())
			.start();
		try {
			MqttClient client = this.clients.make(broker, "interop-pub");
			client.connect();
			// publish once mosquitto_sub's debug output shows its subscription was
			// granted
			await().atMost(Duration.ofSeconds(20))
				.until(() -> Files.readString(out, StandardCharsets.UTF_8).contains("received SUBACK"));
			for (int qos = 0; qos <= 2; qos++) {
				assertThat(client.publish("interop/out/" + qos, "from umqtt " + qos, false, qos)).isTrue();
			}
			assertThat(sub.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)
				.stream()
				.filter((line) -> line.startsWith("interop/out/"))).containsExactlyInAnyOrder(
						"interop/out/0 from umqtt 0", "interop/out/1 from umqtt 1", "interop/out/2 from umqtt 2");
		}
		finally {
			sub.destroyForcibly();
			Files.deleteIfExists(out);
		}
	}

	private static void run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
	}

}
