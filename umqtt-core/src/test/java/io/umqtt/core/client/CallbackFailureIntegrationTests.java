package io.umqtt.core.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.umqtt.core.AsyncMqttMessageListener;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttStatus;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A callback that fails in any way, {@link Error}s included, never stops delivery.
 */
@MqttBrokerTest
class CallbackFailureIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private static Throwable failure(int n) {
		return switch (n % 4) {
			case 0 -> new AssertionError("test assertion in a callback");
			case 1 -> new StackOverflowError("thrown by the callback");
			case 2 -> new OutOfMemoryError("thrown by the callback");
			default -> new IllegalStateException("listener bug");
		};
	}

	private static void sneakyThrow(Throwable failure) {
		if (failure instanceof Error error) {
			throw error;
		}
		throw (RuntimeException) failure;
	}

	@Test
	void errorsFromTheCallbackLeaveTheDispatchThreadDelivering(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "error-callback", (b) -> b.dispatchThread(true));
		List<String> delivered = new CopyOnWriteArrayList<>();
		AtomicInteger calls = new AtomicInteger();
		client.setCallback((topic, msg) -> {
			int n = calls.getAndIncrement();
			if (n < 8) {
				sneakyThrow(failure(n));
			}
			delivered.add(new String(msg));
		});
		client.connect();
		client.subscribe("errors/t", 1);
		for (int i = 0; i < 12; i++) {
			assertThat(client.publish("errors/t", "m" + i, false, 1)).isTrue();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() == 4);
		assertThat(delivered).containsExactly("m8", "m9", "m10", "m11");
		assertThat(client.getMqttsta()).isZero();
		assertThat(client.lastError()).isNull();
	}

	/**
	 * An {@link Error} that fails again the first time its message is read: the logging
	 * of the callback's failure fails with it, which is what ends the dispatch thread.
	 */
	private static final class UnreportableError extends Error {

		private final java.util.concurrent.atomic.AtomicBoolean read = new java.util.concurrent.atomic.AtomicBoolean();

		@Override
		public String getMessage() {
			if (this.read.compareAndSet(false, true)) {
				throw new UnreportableError();
			}
			return "unreportable";
		}

		@Override
		public String toString() {
			return "UnreportableError";
		}

	}

	@Test
	void aDispatchThreadThatEndsShowsInTheStatusAndLastError(MqttBroker broker) {
		List<String> errors = new CopyOnWriteArrayList<>();
		MqttClient client = this.clients.make(broker, "dispatch-ends", (b) -> b.dispatchThread(true));
		client.errorRegisterCb(errors::add);
		client.setCallback((topic, msg) -> {
			throw new UnreportableError();
		});
		client.connect();
		client.subscribe("ends/t", 1);
		assertThat(client.getMqttsta()).isZero();
		assertThat(client.publish("ends/t", "m", false, 1)).isTrue();
		// the dispatch thread ends with an uncaught Error: expected here, not a failure
		// of the test
		await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(20)).until(() -> client.getMqttsta() == -1);
		assertThat(client.status()).isEqualTo(MqttStatus.ERROR);
		assertThat(client.lastError()).startsWith("Message delivery stopped: the dispatch thread ended")
			.contains("UnreportableError");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> errors.stream().anyMatch((e) -> e.startsWith("Message delivery stopped")));
		// the connection itself is fine: publishing still works, the status keeps saying
		// delivery stopped
		assertThat(client.publish("other/t", "p", false, 1)).isTrue();
		assertThat(client.getMqttsta()).isEqualTo(-1);
	}

	@Test
	void errorsFromAListenerLeaveWaitMsgDelivering(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "error-waitmsg");
		AtomicInteger calls = new AtomicInteger();
		client.connect();
		client.subscribe("errors/w", 1, (MqttMessage message) -> sneakyThrow(failure(calls.getAndIncrement())));
		for (int i = 0; i < 4; i++) {
			assertThat(client.publish("errors/w", "m" + i, false, 1)).isTrue();
		}
		for (int i = 0; i < 4; i++) {
			// the failure is logged, not thrown at the application's read loop
			assertThat(client.waitMsg(Duration.ofSeconds(10))).isTrue();
		}
		assertThat(calls).hasValue(4);
		assertThat(client.getMqttsta()).isZero();
	}

	@Test
	void errorsFromAnAsynchronousListenerGiveItsDeliverySlotBack(MqttBroker broker) {
		// two slots: each leaked slot would stop delivery sooner
		MqttClient client = this.clients.make(broker, "error-async",
				(b) -> b.dispatchThread(true).inboundQueueCapacity(2));
		List<String> delivered = new CopyOnWriteArrayList<>();
		AtomicInteger calls = new AtomicInteger();
		client.connect();
		client.subscribe("errors/a", 1, (AsyncMqttMessageListener) (message) -> {
			int n = calls.getAndIncrement();
			if (n < 6) {
				sneakyThrow(failure(n));
			}
			delivered.add(message.payloadAsString());
			return CompletableFuture.completedFuture(null);
		});
		for (int i = 0; i < 10; i++) {
			assertThat(client.publish("errors/a", "m" + i, false, 1)).isTrue();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() == 4);
		assertThat(delivered).containsExactly("m6", "m7", "m8", "m9");
		assertThat(client.getMqttsta()).isZero();
	}

	@Test
	void errorsFromTheErrorCallbackLeaveItCalled(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "error-errors", (b) -> b.publishTimeout(Duration.ofMillis(200)));
		List<String> told = new CopyOnWriteArrayList<>();
		client.errorRegisterCb((text) -> {
			told.add(text);
			sneakyThrow(failure(told.size()));
		});
		client.connect();
		// each refused publish tells the error callback
		client.close();
		for (int i = 0; i < 4; i++) {
			client.publish("errors/e", "m" + i, false, 1);
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> told.size() == 4);
	}

}
