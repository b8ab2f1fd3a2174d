package io.umqtt.spring.listener;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.observation.ObservationRegistry;
import io.umqtt.core.MqttMessage;
import org.junit.jupiter.api.Test;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An interrupt during a retry back-off ends the wait at once: the interrupt is restored,
 * and the message is neither dead-lettered nor reported nor acknowledged.
 */
class SubscriptionListenerTests {

	private static final TopicTemplate TOPIC = TopicTemplate.parse("jobs/t");

	private final AtomicInteger attempts = new AtomicInteger();

	private final List<Exception> reported = new CopyOnWriteArrayList<>();

	private final AtomicInteger handled = new AtomicInteger();

	void counts(byte[] payload) {
		this.handled.incrementAndGet();
	}

	void alwaysFails(byte[] payload) {
		this.attempts.incrementAndGet();
		throw new IllegalStateException("always");
	}

	@Test
	void anInterruptDuringTheBackOffIsRestoredAndTheMessageIsNotAcknowledged() throws Exception {
		MqttMessageHandlerMethodFactory factory = new MqttMessageHandlerMethodFactory();
		factory.afterPropertiesSet();
		Method method = ReflectionUtils.findMethod(getClass(), "alwaysFails", byte[].class);
		MqttListenerEndpoint endpoint = new MqttListenerEndpoint("jobs", this, method, List.of(TOPIC), 1, "", "");
		// a dead-letter topic is set: the test fails if the message reaches it (no
		// template to publish with)
		MessagingMqttListenerAdapter adapter = new MessagingMqttListenerAdapter(endpoint, TOPIC, "main",
				factory.createInvocableHandlerMethod(this, method), (id, message, ex) -> this.reported.add(ex), null,
				ObservationRegistry.NOOP,
				new ListenerRetry(3, Duration.ofMinutes(10), Duration.ofMinutes(10), "dlt/{topic}"), true);
		ListenerFailures failures = new ListenerFailures();
		SubscriptionListener listener = new SubscriptionListener(adapter, "jobs", null, failures);
		AtomicReference<CompletableFuture<?>> result = new AtomicReference<>();
		AtomicBoolean interruptRestored = new AtomicBoolean();
		Thread delivering = new Thread(() -> {
			result.set(listener.onMessageAsync(new MqttMessage("jobs/t", new byte[] { 1 }, 1, false, false, 7))
				.toCompletableFuture());
			interruptRestored.set(Thread.currentThread().isInterrupted());
		});
		delivering.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.attempts.get() == 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> delivering.getState() == Thread.State.TIMED_WAITING);
		delivering.interrupt();
		delivering.join(10_000);
		assertThat(delivering.isAlive()).isFalse();
		assertThat(interruptRestored).isTrue();
		// declined, not handled: the client never acknowledges it
		assertThat(result.get()).isCompletedExceptionally();
		assertThatThrownBy(result.get()::join).hasCauseInstanceOf(io.umqtt.core.MessageNotHandledException.class);
		assertThat(this.attempts).hasValue(1);
		assertThat(this.reported).isEmpty();
	}

	@Test
	void aListenerSubscribedASecondTimeWhileItsFirstRouteStaysTakesAMessageHandedThroughBothOnce() throws Exception {
		MqttMessageHandlerMethodFactory factory = new MqttMessageHandlerMethodFactory();
		factory.afterPropertiesSet();
		Method method = ReflectionUtils.findMethod(getClass(), "counts", byte[].class);
		MqttListenerEndpoint endpoint = new MqttListenerEndpoint("jobs", this, method, List.of(TOPIC), 1, "", "");
		MessagingMqttListenerAdapter adapter = new MessagingMqttListenerAdapter(endpoint, TOPIC, "main",
				factory.createInvocableHandlerMethod(this, method), (id, message, ex) -> this.reported.add(ex), null,
				ObservationRegistry.NOOP, ListenerRetry.NONE, true);
		ListenerFailures failures = new ListenerFailures();
		SubscriptionListener listener = new SubscriptionListener(adapter, "jobs", null, failures);
		// paused, its UNSUBSCRIBE unconfirmed, then resumed: the client routes the filter
		// to it twice until the UNSUBACK
		listener.stopTaking(0);
		listener.reopenForSecondRoute();
		MqttMessage message = new MqttMessage("jobs/t", new byte[] { 1 }, 1, false, false, 7);
		CompletableFuture<?> first = listener.onMessageAsync(message).toCompletableFuture();
		CompletableFuture<?> second = listener.onMessageAsync(message).toCompletableFuture();
		assertThat(this.handled).hasValue(1);
		assertThat(first).isCompleted().isNotCompletedExceptionally();
		assertThat(second).isCompleted().isNotCompletedExceptionally();
		// the next message, once per route too
		MqttMessage next = new MqttMessage("jobs/t", new byte[] { 2 }, 1, false, false, 8);
		listener.onMessageAsync(next);
		listener.onMessageAsync(next);
		assertThat(this.handled).hasValue(2);
		assertThat(failures.count(ListenerFailures.Kind.NOT_DRAINED)).isZero();
	}

}
