package io.umqtt.core.client;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client's life leaves behind when it ends in unusual places: on its own network
 * thread, against a peer that stopped reading, in its constructor, and what its methods
 * do on the network thread or after {@code disconnect()}.
 */
@MqttBrokerTest
class LifecycleIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private static boolean ioThreadsRunning() {
		return Thread.getAllStackTraces().keySet().stream().anyMatch((t) -> t.getName().startsWith("umqtt-io-"));
	}

	@Test
	void disconnectFromAFutureStageDisconnectsAndFreesTheClient(MqttBroker broker) throws Exception {
		MqttClient client = this.clients.make(broker, "stage-disconnect");
		client.connect();
		CompletableFuture<Void> stage = client.publishAsync("life/stage", "x".getBytes(), false, 1)
			.thenRun(client::disconnect);
		stage.get(10, TimeUnit.SECONDS);
		assertThat(client.status()).isEqualTo(MqttStatus.ERROR);
		assertThat(client.publishAsync("life/stage", "y".getBytes(), false, 1)).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(MqttException.class)
			.withMessageContaining("disconnected");
		String events = "umqtt-events-" + client.clientId();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Thread.getAllStackTraces().keySet().stream().noneMatch((t) -> t.getName().equals(events)));
		await().atMost(Duration.ofSeconds(10)).until(() -> !ioThreadsRunning());
	}

	@Test
	void disconnectClosesTheSocketOfAPeerThatStoppedReading() throws Exception {
		Path tcp = Path.of("/proc/net/tcp");
		assumeThat(Files.isReadable(tcp)).as("needs Linux /proc/net/tcp to see the socket's state").isTrue();
		CountDownLatch release = new CountDownLatch(1);
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(false);
			try {
				// stops reading: the client's writes fill the socket buffers
				release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		})) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("stuck-peer"), "127.0.0.1")
				.port(broker.port())
				.reconn(false)
				.build());
			client.connect();
			byte[] chunk = new byte[64 * 1024];
			List<CompletableFuture<Void>> writes = new ArrayList<>();
			for (int i = 0; i < 400; i++) {
				writes.add(client.publishAsync("life/stuck", chunk, false, 0));
			}
			// the socket is full: some writes never complete
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(20))
				.until(() -> writes.stream().anyMatch((w) -> !w.isDone()));
			Socket accepted = broker.sockets().get(0);
			int clientPort = accepted.getPort();
			assertThat(tcpState(tcp, clientPort, broker.port())).isEqualTo("01");
			long start = System.nanoTime();
			client.disconnect();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
			// closed by the client: no longer ESTABLISHED (FIN_WAIT after the unsent
			// bytes, or gone)
			await().atMost(Duration.ofSeconds(5)).until(() -> !"01".equals(tcpState(tcp, clientPort, broker.port())));
			release.countDown();
		}
	}

	/**
	 * The state (hex, 01 is ESTABLISHED) of the socket from {@code localPort} to
	 * {@code remotePort}.
	 */
	private static String tcpState(Path tcp, int localPort, int remotePort) throws IOException {
		String local = String.format(Locale.ROOT, ":%04X", localPort);
		String remote = String.format(Locale.ROOT, ":%04X", remotePort);
		Path tcp6 = tcp.resolveSibling("tcp6");
		List<String> lines = new ArrayList<>(Files.readAllLines(tcp));
		if (Files.isReadable(tcp6)) {
			// an IPv6 socket connected to 127.0.0.1 shows here, as ::ffff:127.0.0.1
			lines.addAll(Files.readAllLines(tcp6));
		}
		for (String line : lines) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length > 3 && fields[1].endsWith(local) && fields[2].endsWith(remote)) {
				return fields[3];
			}
		}
		return "gone";
	}

	@Test
	void aClientWhoseConstructionFailsLeavesNoSharedThreadsRunning(MqttBroker broker) {
		FailingStore unreadable = new FailingStore();
		unreadable.failLoad = true;
		assertThatThrownBy(() -> this.clients.builder(broker, "broken").sessionStore(unreadable).build())
			.hasMessageContaining("Input/output error");
		MqttClient client = this.clients.builder(broker, "after-broken").build();
		client.connect();
		client.disconnect();
		// the failed one holds no reference to the shared I/O threads: the last
		// disconnect stops them
		await().atMost(Duration.ofSeconds(10)).until(() -> !ioThreadsRunning());
	}

	@Test
	void publishAfterDisconnectReturnsFalseWithAnErrorCallbackSet(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "late-publish");
		List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
		client.errorRegisterCb(errors::add);
		client.connect();
		client.disconnect();
		assertThat(client.publish("life/late", "x".getBytes(), false, 1)).isFalse();
		assertThat(client.publish("life/late", "x".getBytes(), false, 0)).isFalse();
	}

	@Test
	void waitMsgAndCheckMsgOnTheNetworkThreadFailAtOnceAndSubscriptionsAnswers(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "on-loop");
		client.connect();
		client.subscribe("life/loop", 1);
		assertThat(onNetworkThread(client, broker, () -> {
			client.waitMsg();
			return "waited";
		})).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("waitMsg()");
		assertThat(onNetworkThread(client, broker, () -> {
			client.checkMsg();
			return "checked";
		})).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("checkMsg()");
		long start = System.nanoTime();
		// answered on the spot, not after the connect timeout (20 s) the event loop would
		// wait on itself
		assertThat(onNetworkThread(client, broker, client::subscriptions)).isEqualTo(Map.of("life/loop", 1));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	/**
	 * Runs {@code action} in a stage of a publish future that completes on the client's
	 * network thread: the publish is made while the broker is down, so the stage is in
	 * place before the PUBACK can arrive after the reconnect, whatever the machine's
	 * load.
	 * @return what it returned, or what it threw
	 */
	private static Object onNetworkThread(MqttClient client, MqttBroker broker,
			java.util.concurrent.Callable<Object> action) {
		broker.stop();
		await().atMost(Duration.ofSeconds(30)).until(() -> client.getMqttsta() != 0);
		CompletableFuture<Object> result = client.publishAsync("life/x", "x".getBytes(), false, 1).thenApply((done) -> {
			if (!Thread.currentThread().getName().startsWith("umqtt-io-")) {
				return Skipped.INSTANCE;
			}
			try {
				return action.call();
			}
			catch (Exception ex) {
				return ex;
			}
		});
		broker.start();
		Object outcome = result.orTimeout(60, TimeUnit.SECONDS).join();
		assertThat(outcome).as("the stage ran on the network thread").isNotEqualTo(Skipped.INSTANCE);
		return outcome;
	}

	private enum Skipped {

		INSTANCE

	}

}
