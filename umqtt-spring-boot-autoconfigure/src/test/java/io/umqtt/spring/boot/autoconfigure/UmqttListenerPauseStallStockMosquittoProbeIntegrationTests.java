package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;
import org.junit.jupiter.params.ParameterizedTest;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pausing one slow listener in the middle of a burst, on a persistent session, leaves the
 * other listeners of the same client receiving: against Mosquitto 2.0 with its stock
 * limits. Mosquitto still sends what it had queued under the subscription after the
 * UNSUBACK; left unacknowledged on the live connection, those messages would fill its
 * in-flight window (20) and hold back every other message for the client. The paused
 * listener handles them instead, and the client sends no PUBACK (counted in Mosquitto's
 * log) beyond the messages its listeners handled.
 */
class UmqttListenerPauseStallStockMosquittoProbeIntegrationTests {

	/**
	 * The same against Mosquitto with its stock in-flight window
	 * ({@code max_inflight_messages 20}), which the test brokers raise to 1,000.
	 */
	@ParameterizedTest(name = "concurrent={0}, pause={1}")
	@org.junit.jupiter.params.provider.CsvSource({ "true, true", "false, true" })
	void pausingASlowListenerDuringABurstLeavesTheOtherListenersReceivingWithStockMosquittoLimits(boolean concurrent,
			boolean pause, @org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) throws Exception {
		int port = io.umqtt.test.FreePort.find();
		java.nio.file.Path conf = directory.resolve("mosquitto.conf");
		java.nio.file.Files.writeString(conf,
				"user " + System.getProperty("user.name") + "\n" + "allow_anonymous true\nlog_type all\nlog_dest file "
						+ directory.resolve("mosquitto.log") + "\n" + "listener " + port + " 127.0.0.1\n");
		Process mosquitto = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
			.redirectOutput(directory.resolve("stdout.log").toFile())
			.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> io.umqtt.test.FreePort.isListening(port));
			String clientId = pauseDuringABurst(concurrent, pause, "127.0.0.1", port);
			String text = java.nio.file.Files.readString(directory.resolve("mosquitto.log"));
			long pubacks = text.lines().filter((l) -> l.contains("Received PUBACK from " + clientId + " ")).count();
			assertThat(pubacks).as("PUBACKs from the client (handled %d)", Stall.handled.get())
				.isLessThanOrEqualTo(Stall.handled.get());
		}
		finally {
			mosquitto.destroyForcibly().waitFor();
		}
	}

	private String pauseDuringABurst(boolean concurrent, boolean pause, String host, int port) throws Exception {
		String clientId = "pause-stall-" + concurrent + "-" + System.nanoTime();
		Stall.slow.clear();
		Stall.fast.clear();
		Stall.handled.set(0);
		MqttClient publisher = MqttClient.builder("pause-stall-pub-" + System.nanoTime(), host)
			.port(port)
			.maxInflight(100)
			.build();
		publisher.connect();
		try {
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(TaskExecutionAutoConfiguration.class, UmqttAutoConfiguration.class))
				.withUserConfiguration(Stall.class)
				.withPropertyValues("umqtt.server=" + host, "umqtt.port=" + port, "umqtt.client-id=" + clientId,
						"umqtt.clean-session=false", "umqtt.shutdown-timeout=1s",
						"umqtt.listener.concurrent=" + concurrent, "stall.prefix=" + clientId)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					MqttClient client = context.getBean(MqttClient.class);
					MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> client.subscriptions().containsKey(clientId + "/slow")
								&& client.subscriptions().containsKey(clientId + "/fast"));
					for (int i = 0; i < 300; i++) {
						publisher.publishAsync(clientId + "/slow", ("s" + i).getBytes(), false, 1);
					}
					await().atMost(Duration.ofSeconds(20)).until(() -> Stall.slow.size() >= 3);
					if (pause) {
						registry.pause("slow");
					}
					for (int i = 0; i < 5; i++) {
						assertThat(publisher.publish(clientId + "/fast", "f" + i, false, 1)).isTrue();
					}
					await().atMost(Duration.ofSeconds(40))
						.pollInterval(Duration.ofMillis(200))
						.untilAsserted(() -> assertThat(Stall.fast)
							.as("the other listener of the client after the pause (slow handled %d, client status %d)",
									Stall.slow.size(), client.getMqttsta())
							.hasSize(5));
				});
		}
		finally {
			publisher.disconnect();
		}
		return clientId;
	}

	@Configuration(proxyBeanMethods = false)
	static class Stall {

		static final Set<String> slow = ConcurrentHashMap.newKeySet();

		static final Set<String> fast = ConcurrentHashMap.newKeySet();

		static final java.util.concurrent.atomic.AtomicLong handled = new java.util.concurrent.atomic.AtomicLong();

		@MqttSubscribe(topics = "${stall.prefix}/slow", qos = 1, id = "slow")
		void onSlow(String payload) throws InterruptedException {
			// a slow downstream
			Thread.sleep(100);
			slow.add(payload);
			handled.incrementAndGet();
		}

		@MqttSubscribe(topics = "${stall.prefix}/fast", qos = 1, id = "fast")
		void onFast(String payload) {
			fast.add(payload);
			handled.incrementAndGet();
		}

	}

}
