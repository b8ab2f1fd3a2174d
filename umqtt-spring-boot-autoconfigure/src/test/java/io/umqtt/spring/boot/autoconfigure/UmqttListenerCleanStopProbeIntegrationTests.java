package io.umqtt.spring.boot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.test.FreePort;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application stops during a burst of QoS 1 messages on a clean session. Mosquitto
 * logs every packet: the PUBACKs the application's client sent are counted against the
 * messages its listener handled. A PUBACK more than the handled messages is a message
 * acknowledged without its listener.
 */
class UmqttListenerCleanStopProbeIntegrationTests {

	private static final int COUNT = 400;

	@ParameterizedTest(name = "concurrent={0}")
	@ValueSource(booleans = { true, false })
	void aStopDuringABurstOnACleanSessionAcknowledgesOnlyHandledMessages(boolean concurrent, @TempDir Path directory)
			throws Exception {
		int port = FreePort.find();
		Path log = directory.resolve("mosquitto.log");
		Path conf = directory.resolve("mosquitto.conf");
		Files.writeString(conf, "user " + System.getProperty("user.name") + "\nallow_anonymous true\nlog_type all\n"
				+ "max_inflight_messages 100\nlog_dest file " + log + "\nlistener " + port + " 127.0.0.1\n");
		Process mosquitto = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
			.redirectOutput(directory.resolve("stdout.log").toFile())
			.start();
		String clientId = "clean-stop-" + concurrent + "-" + System.nanoTime();
		String topic = "cleanstop/" + clientId;
		Set<String> handled = ConcurrentHashMap.newKeySet();
		CleanStop.sink = handled::add;
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> FreePort.isListening(port));
			MqttClient publisher = MqttClient.builder("clean-stop-pub-" + System.nanoTime(), "127.0.0.1")
				.port(port)
				.maxInflight(100)
				.build();
			publisher.connect();
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(TaskExecutionAutoConfiguration.class, UmqttAutoConfiguration.class))
				.withUserConfiguration(CleanStop.class)
				.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=" + port, "umqtt.client-id=" + clientId,
						"umqtt.clean-session=true", "umqtt.shutdown-timeout=1s",
						"umqtt.listener.concurrent=" + concurrent, "cleanstop.topic=" + topic)
				.run((context) -> {
					MqttClient client = context.getBean(MqttClient.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey(topic));
					for (int i = 0; i < COUNT; i++) {
						publisher.publishAsync(topic, ("m" + i).getBytes(), false, 1);
					}
					await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() >= 30);
				});
			publisher.disconnect();
			String text = Files.readString(log);
			long pubacks = text.lines().filter((l) -> l.contains("Received PUBACK from " + clientId + " ")).count();
			long sent = text.lines().filter((l) -> l.contains("Sending PUBLISH to " + clientId + " ")).count();
			System.out.println("probe concurrent=" + concurrent + ": sent to the client " + sent + ", handled "
					+ handled.size() + ", PUBACKs " + pubacks);
			assertThat(pubacks).as("PUBACKs (handled %d, sent %d)", handled.size(), sent)
				.isLessThanOrEqualTo(handled.size());
		}
		finally {
			mosquitto.destroyForcibly().waitFor();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class CleanStop {

		static volatile java.util.function.Consumer<String> sink;

		@MqttSubscribe(topics = "${cleanstop.topic}", qos = 1, id = "clean")
		void on(String payload) throws InterruptedException {
			// some work per message
			Thread.sleep(20);
			sink.accept(payload);
		}

	}

}
