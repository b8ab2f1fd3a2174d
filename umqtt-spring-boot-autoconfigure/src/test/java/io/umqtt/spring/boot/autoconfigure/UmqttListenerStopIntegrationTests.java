package io.umqtt.spring.boot.autoconfigure;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttClientObserver;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;
import io.umqtt.test.FreePort;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping listeners loses nothing: a QoS 1 message is acknowledged only after a listener
 * handled it, so every message of a burst interrupted by the context closing is either
 * handled before the close or delivered again by the broker to the next application with
 * the same persistent session; a paused listener finishes what it was handed.
 */
@MqttBrokerTest
class UmqttListenerStopIntegrationTests {

	private static final int BURST = 500;

	private ApplicationContextRunner runner(MqttBroker broker, String clientId, boolean concurrent) {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TaskExecutionAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withUserConfiguration(Burst.class)
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(),
					"umqtt.client-id=" + clientId, "umqtt.clean-session=false", "umqtt.shutdown-timeout=1s",
					"umqtt.listener.concurrent=" + concurrent);
	}

	@Test
	void closingTheContextDuringABurstLosesNoMessageWithConcurrentListeners(MqttBroker broker) throws Exception {
		closeDuringABurstThenRestart(broker, true);
	}

	@Test
	void closingTheContextDuringABurstLosesNoMessageWithDispatchThreadListeners(MqttBroker broker) throws Exception {
		closeDuringABurstThenRestart(broker, false);
	}

	private void closeDuringABurstThenRestart(MqttBroker broker, boolean concurrent) throws Exception {
		String clientId = "burst-" + concurrent + "-" + System.nanoTime();
		Set<Integer> handled = ConcurrentHashMap.newKeySet();
		Burst.sink = handled::add;
		MqttClient publisher = MqttClient.builder("burst-pub-" + System.nanoTime(), broker.host())
			.port(broker.port())
			.maxInflight(BURST)
			.build();
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		try {
			publisher.connect();
			runner(broker, clientId, concurrent).run((context) -> {
				MqttClient client = context.getBean(MqttClient.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey("burst/t"));
				for (int i = 0; i < BURST; i++) {
					sent.add(publisher.publishAsync("burst/t", ByteBuffer.allocate(4).putInt(i).array(), false, 1));
				}
				await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() >= 50);
				// the context closes now, mid-burst: the listener takes 5 ms a message
			});
			int handledBeforeTheClose = handled.size();
			CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
			assertThat(handledBeforeTheClose).as("the close came in the middle of the burst").isLessThan(BURST);
			// the next application with the same session gets everything not handled
			// before
			runner(broker, clientId, concurrent)
				.run((context) -> await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == BURST));
		}
		finally {
			publisher.disconnect();
		}
	}

	@Test
	void pausingAListenerFinishesWhatItWasHandedFirst(MqttBroker broker) throws Exception {
		pauseDuringABurst(broker, true);
	}

	@Test
	void pausingADispatchThreadListenerFinishesWhatItWasHandedFirstAndThenGetsNothing(MqttBroker broker)
			throws Exception {
		pauseDuringABurst(broker, false);
	}

	private void pauseDuringABurst(MqttBroker broker, boolean concurrent) throws Exception {
		Set<Integer> handled = ConcurrentHashMap.newKeySet();
		Burst.sink = handled::add;
		List<Integer> afterPause = new CopyOnWriteArrayList<>();
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TaskExecutionAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withUserConfiguration(Burst.class)
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(),
					"umqtt.shutdown-timeout=30s", "umqtt.max-inflight=500", "umqtt.listener.concurrent=" + concurrent)
			.run((context) -> {
				MqttClient client = context.getBean(MqttClient.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey("burst/t"));
				MqttTemplate template = context.getBean(MqttTemplate.class);
				List<CompletableFuture<Void>> sent = new ArrayList<>();
				for (int i = 0; i < 200; i++) {
					sent.add(template.publish("burst/t", ByteBuffer.allocate(4).putInt(i).array(), 1, false));
				}
				CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
				await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() >= 10);
				context.getBean(MqttListenerEndpointRegistry.class).pause("burst");
				// pause() returned: what the listener had been handed is handled by now,
				// nothing more comes
				Burst.sink = afterPause::add;
				int atPause = handled.size();
				assertThat(atPause).isGreaterThan(10);
				assertThat(client.getMqttsta()).isZero();
				assertThat(context.getBean(MqttListenerEndpointRegistry.class).isListenerRunning("burst")).isFalse();
				await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(afterPause::isEmpty);
				assertThat(handled).hasSize(atPause);
			});
	}

	@Test
	void closingTheContextOnACleanSessionAcknowledgesNoMessageUnhandledWithConcurrentListeners(@TempDir Path directory)
			throws Exception {
		closeACleanSessionDuringABurst(directory, true);
	}

	@Test
	void closingTheContextOnACleanSessionAcknowledgesNoMessageUnhandledWithDispatchThreadListeners(
			@TempDir Path directory) throws Exception {
		closeACleanSessionDuringABurst(directory, false);
	}

	/**
	 * A clean session cannot get a message again: what the broker sends after the client
	 * decided to go is lost with the session, by MQTT's own contract. The guarantee is
	 * that no message is ever acknowledged without its listener: stopping unsubscribes
	 * first, the listener handles what the broker still sends until its filter is quiet,
	 * and anything later is declined. Its own Mosquitto logs every packet: the PUBACKs
	 * the client sent never outnumber the messages the listener handled.
	 */
	private void closeACleanSessionDuringABurst(Path directory, boolean concurrent) throws Exception {
		int port = FreePort.find();
		Path log = directory.resolve("mosquitto.log");
		Path conf = directory.resolve("mosquitto.conf");
		Files.writeString(conf, "user " + System.getProperty("user.name") + "\nallow_anonymous true\nlog_type all\n"
				+ "max_inflight_messages 1000\nlog_dest file " + log + "\nlistener " + port + " 127.0.0.1\n");
		Process mosquitto = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
			.redirectOutput(directory.resolve("stdout.log").toFile())
			.start();
		String clientId = "clean-stop-" + concurrent + "-" + System.nanoTime();
		AtomicLong handled = new AtomicLong();
		Burst.sink = (i) -> handled.incrementAndGet();
		Burst.nanosPerMessage = TimeUnit.MICROSECONDS.toNanos(500);
		AtomicLong acknowledgedUnhandled = new AtomicLong();
		java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
		AtomicLong published = new AtomicLong();
		MqttClient publisher = MqttClient.builder("clean-pub-" + System.nanoTime(), "127.0.0.1").port(port).build();
		Thread stream = new Thread(() -> {
			// one message after another, each acknowledged by the broker, before, during
			// and after the close
			for (int i = 0; publishing.get(); i++) {
				if (publisher.publish("burst/t", ByteBuffer.allocate(4).putInt(i).array(), false, 1)) {
					published.incrementAndGet();
				}
			}
		}, "clean-publisher");
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> FreePort.isListening(port));
			publisher.connect();
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(TaskExecutionAutoConfiguration.class, UmqttAutoConfiguration.class))
				.withUserConfiguration(Burst.class)
				.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=" + port, "umqtt.client-id=" + clientId,
						"umqtt.clean-session=true", "umqtt.shutdown-timeout=60s",
						"umqtt.listener.concurrent=" + concurrent)
				.run((context) -> {
					MqttClient client = context.getBean(MqttClient.class);
					client.setObserver(new MqttClientObserver() {

						@Override
						public void unhandled(int qos, boolean acknowledged) {
							if (acknowledged) {
								acknowledgedUnhandled.incrementAndGet();
							}
						}

					});
					await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey("burst/t"));
					stream.start();
					await().atMost(Duration.ofSeconds(20)).until(() -> handled.get() >= 50);
					// the context closes now, while messages keep coming
				});
			long publishedAtTheClose = published.get();
			await().atMost(Duration.ofSeconds(10)).until(() -> published.get() > publishedAtTheClose + 20);
			publishing.set(false);
			stream.join(10_000);
			// the client's DISCONNECT is logged after every PUBACK it sent
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Files.readString(log).contains("Received DISCONNECT from " + clientId));
			long pubacks = Files.readString(log)
				.lines()
				.filter((line) -> line.contains("Received PUBACK from " + clientId + " "))
				.count();
			assertThat(handled.get()).as("the close came in the middle of the stream").isLessThan(published.get());
			assertThat(acknowledgedUnhandled.get()).as("acknowledged without a listener").isZero();
			assertThat(pubacks).as("PUBACKs the broker got from the client (handled %d)", handled.get())
				.isPositive()
				.isLessThanOrEqualTo(handled.get());
		}
		finally {
			publishing.set(false);
			publisher.disconnect();
			Burst.nanosPerMessage = TimeUnit.MILLISECONDS.toNanos(5);
			mosquitto.destroyForcibly().waitFor();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Burst {

		static volatile java.util.function.Consumer<Integer> sink;

		static volatile long nanosPerMessage = TimeUnit.MILLISECONDS.toNanos(5);

		@MqttSubscribe(topics = "burst/t", qos = 1, id = "burst")
		void on(byte[] payload) {
			LockSupport.parkNanos(nanosPerMessage);
			sink.accept(ByteBuffer.wrap(payload).getInt());
		}

	}

}
