package io.umqtt.core.client;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.test.FreePort;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Brokers that misbehave and resources that must come back: malformed packets, a broker
 * that never answers, refusals, and thousands of connects that must not leak threads,
 * memory or file descriptors.
 */
@MqttBrokerTest
class FaultInjectionIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	static Stream<Arguments> malformedFromTheBroker() {
		return Stream.of(Arguments.of("5-byte remaining length",
				new byte[] { 0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01 }, "longer than 4 bytes"),
				Arguments.of("declared 256 MiB then silence",
						new byte[] { 0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F },
						"exceeds the maximum packet size"),
				Arguments.of("packet type 0", new byte[] { 0x00, 0x00 }, "type 0 is reserved"),
				Arguments.of("packet type 15", new byte[] { (byte) 0xF0, 0x00 }, "type 15 is reserved"),
				Arguments.of("PUBREL with flags 0000", new byte[] { 0x60, 0x02, 0x00, 0x01 }, "must be 0010"),
				Arguments.of("PUBLISH QoS 3", new byte[] { 0x36, 0x03, 0x00, 0x01, 't' }, "QoS 3"),
				Arguments.of("PUBLISH with invalid UTF-8 topic",
						new byte[] { 0x30, 0x04, 0x00, 0x02, (byte) 0xC3, 0x28 }, "UTF-8"),
				Arguments.of("a second CONNACK", new byte[] { 0x20, 0x02, 0x00, 0x00 },
						"CONNACK when already connected"),
				Arguments.of("a CONNECT from the server",
						new byte[] { 0x10, 0x0C, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x00, 0x00, 0x00 },
						"the server sent CONNECT"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedFromTheBroker")
	void malformedInputClosesTheConnectionWithAClearErrorAndNoHang(String what, byte[] bytes, String error)
			throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.accepting().sendAfterConnack(bytes)) {
			List<String> errors = new CopyOnWriteArrayList<>();
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("victim"), "127.0.0.1")
				.port(broker.port())
				.reconn(false)
				.maxPacketSize(1024 * 1024)
				.build());
			client.errorRegisterCb(errors::add);
			client.connect();
			await().atMost(Duration.ofSeconds(5)).until(() -> client.getMqttsta() == -1);
			assertThat(client.lastError()).contains(error);
			await().atMost(Duration.ofSeconds(5)).until(() -> !errors.isEmpty());
			assertThat(errors.get(0)).contains(error);
			await().atMost(Duration.ofSeconds(5)).until(broker::clientClosedAll);
		}
	}

	@Test
	void aBrokerThatNeverAnswersConnectFailsWithinTheConnectTimeout() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.silent()) {
			MqttClient client = this.clients.track(MqttClient.builder(Clients.id("silent"), "127.0.0.1")
				.port(broker.port())
				.connectTimeout(Duration.ofSeconds(1))
				.build());
			long start = System.nanoTime();
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.withMessageContaining("Timed out after 1000 ms");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
			assertThat(client.getMqttsta()).isEqualTo(-1);
		}
	}

	@ParameterizedTest(name = "CONNACK {0}")
	@org.junit.jupiter.params.provider.ValueSource(ints = { 1, 2, 3, 4, 5 })
	void everyConnackRefusalIsRaisedWithItsCodeAndMeaning(int code) throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(new byte[] { 0x20, 0x02, 0x00, (byte) code })) {
			MqttClient client = this.clients
				.track(MqttClient.builder(Clients.id("refused"), "127.0.0.1").port(broker.port()).build());
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.satisfies((ex) -> assertThat(ex.returnCode()).isEqualTo(code))
				.withMessageContaining("Connection refused")
				.withMessageContaining("return code " + code);
		}
	}

	@Test
	void aThousandFailedConnectsAndAThousandConnectDisconnectCyclesLeakNothing(MqttBroker broker) throws Exception {
		int closedPort = FreePort.find();
		// warm up so that lazily created JDK and Netty singletons are not counted as
		// leaks
		cycle(broker, 20);
		failedConnects(closedPort, 20);
		Baseline before = Baseline.now();

		failedConnects(closedPort, 1_000);
		try (ScriptedBroker acceptThenClose = ScriptedBroker.closingAtConnect()) {
			// accepts, reads CONNECT and closes: connect fails without CONNACK
			for (int i = 0; i < 1_000; i++) {
				MqttClient client = MqttClient.builder(Clients.id("accept-close"), "127.0.0.1")
					.port(acceptThenClose.port())
					.connectTimeout(Duration.ofMillis(200))
					.build();
				try {
					client.connect();
				}
				catch (MqttException expected) {
					// closed before CONNACK
				}
				client.disconnect();
			}
		}
		cycle(broker, 1_000);

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Baseline after = Baseline.now();
			assertThat(after.umqttThreads()).as("umqtt threads").isZero();
			assertThat(after.threads()).as("live threads").isLessThanOrEqualTo(before.threads() + 2);
			assertThat(after.openFiles()).as("open file descriptors").isLessThanOrEqualTo(before.openFiles() + 10);
			assertThat(after.directMemory()).as("Netty direct memory")
				.isLessThanOrEqualTo(before.directMemory() + 1024 * 1024);
		});
	}

	private static void failedConnects(int closedPort, int times) {
		for (int i = 0; i < times; i++) {
			MqttClient client = MqttClient.builder(Clients.id("fail"), "127.0.0.1").port(closedPort).build();
			try {
				client.connect();
			}
			catch (MqttException expected) {
				// connection refused
			}
			client.disconnect();
		}
	}

	private static void cycle(MqttBroker broker, int times) {
		for (int i = 0; i < times; i++) {
			MqttClient client = MqttClient.builder(Clients.id("cycle"), broker.host()).port(broker.port()).build();
			client.connect();
			client.publish("cycle/t", "x", false, 1);
			client.disconnect();
		}
	}

	record Baseline(int threads, long umqttThreads, long openFiles, long directMemory) {

		static Baseline now() {
			long umqtt = Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((t) -> t.isAlive() && t.getName().startsWith("umqtt-"))
				.count();
			long files = -1;
			if (ManagementFactory
				.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
				files = unix.getOpenFileDescriptorCount();
			}
			return new Baseline(Thread.activeCount(), umqtt, files,
					io.netty.util.internal.PlatformDependent.usedDirectMemory());
		}

	}

}
