package io.umqtt.spring.boot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttClientObserver;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;
import io.umqtt.test.FreePort;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pausing one slow listener in the middle of a burst, on a persistent session, leaves the
 * other listeners of the same client receiving: against Mosquitto with the in-flight
 * window the test brokers have ({@code max_inflight_messages 1000}) and with its stock
 * one (20), both listener modes, and, as the control, the same burst without the pause.
 * Mosquitto still sends what it had queued under the subscription after the UNSUBACK;
 * left unacknowledged on the live connection, those messages would fill its in-flight
 * window and hold back every other message for the client. The paused listener handles
 * them instead. The same assertions for every broker: the other listener gets all its
 * messages, the client acknowledges none unhandled, and Mosquitto (logging every packet
 * here) gets no PUBACK from the client beyond the messages its listeners handled.
 */
class UmqttListenerPauseStallIntegrationTests {

	private static final int TEST_BROKER_WINDOW = 1000;

	private static final int STOCK_WINDOW = 20;

	@ParameterizedTest(name = "in-flight window {0}, concurrent={1}, pause={2}")
	@CsvSource({ TEST_BROKER_WINDOW + ", true, true", TEST_BROKER_WINDOW + ", false, true",
			TEST_BROKER_WINDOW + ", true, false", STOCK_WINDOW + ", true, true", STOCK_WINDOW + ", false, true",
			STOCK_WINDOW + ", true, false" })
	void pausingASlowListenerDuringABurstLeavesTheOtherListenersOfItsClientReceiving(int window, boolean concurrent,
			boolean pause, @TempDir Path directory) throws Exception {
		int port = FreePort.find();
		Path log = directory.resolve("mosquitto.log");
		Path conf = directory.resolve("mosquitto.conf");
		// no max_inflight_messages line: Mosquitto's stock window
		String inflight = (window != STOCK_WINDOW) ? "max_inflight_messages " + window + "\n" : "";
		Files.writeString(conf, "user " + System.getProperty("user.name") + "\nallow_anonymous true\nlog_type all\n"
				+ inflight + "log_dest file " + log + "\nlistener " + port + " 127.0.0.1\n");
		Process mosquitto = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
			.redirectOutput(directory.resolve("stdout.log").toFile())
			.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> FreePort.isListening(port));
			String clientId = pauseDuringABurst(concurrent, pause, port);
			// the client's DISCONNECT is logged after every PUBACK it sent
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Files.readString(log).contains("Received DISCONNECT from " + clientId));
			long pubacks = Files.readString(log)
				.lines()
				.filter((line) -> line.contains("Received PUBACK from " + clientId + " "))
				.count();
			assertThat(pubacks).as("PUBACKs from the client (handled %d)", Stall.handled.get())
				.isLessThanOrEqualTo(Stall.handled.get());
		}
		finally {
			mosquitto.destroyForcibly().waitFor();
		}
	}

	private String pauseDuringABurst(boolean concurrent, boolean pause, int port) throws Exception {
		String clientId = "pause-stall-" + concurrent + "-" + System.nanoTime();
		Stall.slow.clear();
		Stall.fast.clear();
		Stall.handled.set(0);
		AtomicLong acknowledgedUnhandled = new AtomicLong();
		MqttClient publisher = MqttClient.builder("pause-stall-pub-" + System.nanoTime(), "127.0.0.1")
			.port(port)
			.maxInflight(100)
			.build();
		publisher.connect();
		try {
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(TaskExecutionAutoConfiguration.class, UmqttAutoConfiguration.class))
				.withUserConfiguration(Stall.class)
				.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=" + port, "umqtt.client-id=" + clientId,
						"umqtt.clean-session=false", "umqtt.shutdown-timeout=1s",
						"umqtt.listener.concurrent=" + concurrent, "stall.prefix=" + clientId)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					MqttClient client = context.getBean(MqttClient.class);
					client.setObserver(new MqttClientObserver() {

						@Override
						public void unhandled(int qos, boolean acknowledged) {
							if (acknowledged) {
								acknowledgedUnhandled.incrementAndGet();
							}
						}

					});
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
			assertThat(acknowledgedUnhandled.get()).as("acknowledged without a listener").isZero();
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

		static final AtomicLong handled = new AtomicLong();

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
