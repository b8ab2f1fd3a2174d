package io.umqtt.core.client;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.store.FileSessionStore;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscriber process records a received QoS 2 message in its file session store and
 * dies before its listener handled it; the next process with the same client id and store
 * gets it exactly once, from the broker's resend on the resumed session.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class RestoredQos2IntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@TempDir
	Path storeDir;

	@Test
	void aQos2MessageRecordedButNotHandledBeforeTheProcessDiedIsDeliveredOnceAfterARestart(MqttBroker broker)
			throws Exception {
		String clientId = Clients.id("restored-qos2");
		String topic = "restored/" + clientId;
		Process first = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
				System.getProperty("java.class.path"), StoreChildSubscriber.class.getName(), broker.host(),
				Integer.toString(broker.port()), clientId, this.storeDir.toString(), topic)
			.redirectErrorStream(true)
			.start();
		try {
			BufferedReader out = new BufferedReader(
					new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
			// read with a deadline: a child that hangs silently fails the test (finally
			// kills it)
			String line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
				try {
					String read;
					do {
						read = out.readLine();
					}
					while (read != null && !read.equals("SUBSCRIBED"));
					return read;
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}, (task) -> {
				Thread reader = new Thread(task, "first-process-output");
				reader.setDaemon(true);
				reader.start();
			}).get(60, TimeUnit.SECONDS);
			assertThat(line).as("the first process subscribed").isEqualTo("SUBSCRIBED");
			Thread echo = new Thread(() -> out.lines().forEach((more) -> System.out.println("first process: " + more)));
			echo.setDaemon(true);
			echo.start();
			MqttClient publisher = this.clients.make(broker, "restored-pub");
			publisher.connect();
			assertThat(publisher.publish(topic, "exactly once", false, 2)).isTrue();
			assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("the first process died in its listener").isTrue();
			assertThat(first.exitValue()).isEqualTo(StoreChildSubscriber.DIED_IN_LISTENER);
		}
		finally {
			first.destroyForcibly();
			first.waitFor(10, TimeUnit.SECONDS);
		}
		try (FileSessionStore stored = new FileSessionStore(this.storeDir, clientId,
				FileSessionStore.FsyncPolicy.ALWAYS)) {
			assertThat(stored.load().incomingReceived()).as("recorded as received, not delivered").hasSize(1);
		}

		List<String> received = new CopyOnWriteArrayList<>();
		FileSessionStore store = new FileSessionStore(this.storeDir, clientId, FileSessionStore.FsyncPolicy.ALWAYS);
		MqttClient second = this.clients.track(MqttClient.builder(clientId, broker.host())
			.port(broker.port())
			.sessionStore(store)
			.dispatchThread(true)
			.build());
		second
			.setCallback((MqttMessage message) -> received.add(new String(message.payload(), StandardCharsets.UTF_8)));
		second.connect(false);
		assertThat(second.isSessionPresent()).isTrue();
		await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty());
		// exactly once: the resend is delivered, and nothing more arrives
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
		assertThat(received).containsExactly("exactly once");
		second.disconnect();

		// recorded as delivered before its PUBREC went out: a further restart answers,
		// never redelivers
		try (FileSessionStore stored = new FileSessionStore(this.storeDir, clientId,
				FileSessionStore.FsyncPolicy.ALWAYS)) {
			assertThat(stored.load().incomingReceived()).isEmpty();
		}
	}

}
