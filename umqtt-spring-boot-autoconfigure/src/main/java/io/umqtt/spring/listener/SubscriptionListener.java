package io.umqtt.spring.listener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.AsyncMqttMessageListener;
import io.umqtt.core.MessageNotHandledException;
import io.umqtt.core.MqttMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What the client calls for one subscription of a listener: hands each message to the
 * {@link MessagingMqttListenerAdapter}, on a shared executor (one message after another,
 * in arrival order, while other subscriptions run at the same time) or, without one, in
 * the delivering thread. The client acknowledges a QoS 1/2 message when the returned
 * stage completes, and this completes it normally only once the message was handled; a
 * message that must stay unacknowledged (see {@link MessagingMqttListenerAdapter#handle})
 * gets a stage failed with {@link MessageNotHandledException}: the client gives the
 * delivery slot back and never acknowledges it, so the broker delivers it again on the
 * next connection of a persistent session, while the messages after it are still
 * acknowledged.
 * <p>
 * Stopping: {@link #stopTaking(long)} makes later messages stay unacknowledged while
 * those already taken are still handled; {@link #awaitDrained} waits for them;
 * {@link #abandon()} gives up on the rest: queued ones are not handled, a back-off wait
 * is cut short, and none of them is acknowledged.
 */
final class SubscriptionListener implements AsyncMqttMessageListener {

	private static final Log logger = LogFactory.getLog(SubscriptionListener.class);

	private static final CompletableFuture<Void> HANDLED = CompletableFuture.completedFuture(null);

	private final MessagingMqttListenerAdapter delegate;

	private final String listenerId;

	/**
	 * Runs the subscription's messages in order; {@code null}: in the delivering thread.
	 */
	private final @Nullable SerialExecutor executor;

	private final ListenerFailures failures;

	private final Object lock = new Object();

	/** Messages taken and not yet finished with. Guarded by {@link #lock}. */
	private int outstanding;

	/**
	 * Messages still taken after {@link #stopTaking(long)}; negative: no limit. Guarded
	 * by {@link #lock}.
	 */
	private long allowance = -1;

	/** Guarded by {@link #lock}. */
	private boolean abandoned;

	/**
	 * Whether retry back-offs end at once (the message not acknowledged). Guarded by
	 * {@link #lock}.
	 */
	private boolean backOffsCut;

	/**
	 * When the last message was taken ({@link System#nanoTime()}). Guarded by
	 * {@link #lock}.
	 */
	private long lastTaken = System.nanoTime();

	/**
	 * Whether the client may route each message to this listener twice: it was subscribed
	 * again while its first subscription's UNSUBSCRIBE, still unconfirmed, keeps that
	 * route in place until the UNSUBACK. Guarded by {@link #lock}.
	 */
	private boolean twoRoutes;

	/**
	 * With {@link #twoRoutes}: the message taken last and its stage, for the second
	 * route's call with the same message. Guarded by {@link #lock}.
	 */
	private @Nullable MqttMessage lastMessage;

	private @Nullable CompletionStage<?> lastStage;

	SubscriptionListener(MessagingMqttListenerAdapter delegate, String listenerId, @Nullable Executor executor,
			ListenerFailures failures) {
		this.delegate = delegate;
		this.listenerId = listenerId;
		this.executor = (executor != null) ? new SerialExecutor(executor) : null;
		this.failures = failures;
	}

	@Override
	public CompletionStage<?> onMessageAsync(MqttMessage message) {
		synchronized (this.lock) {
			if (this.twoRoutes && message == this.lastMessage && this.lastStage != null) {
				// the same delivery through the second route: taken once, acknowledged
				// once handled
				return this.lastStage;
			}
		}
		CompletionStage<?> stage = take(message);
		synchronized (this.lock) {
			if (this.twoRoutes) {
				this.lastMessage = message;
				this.lastStage = stage;
			}
		}
		return stage;
	}

	private CompletionStage<?> take(MqttMessage message) {
		synchronized (this.lock) {
			if (this.abandoned || this.allowance == 0) {
				this.failures.record(this.listenerId, ListenerFailures.Kind.NOT_DRAINED);
				return CompletableFuture
					.failedFuture(new MessageNotHandledException("listener '" + this.listenerId + "' is stopping"));
			}
			if (this.allowance > 0) {
				this.allowance--;
			}
			this.outstanding++;
			this.lastTaken = System.nanoTime();
		}
		if (this.executor == null) {
			try {
				return handle(message) ? HANDLED : notHandled();
			}
			finally {
				finished();
			}
		}
		CompletableFuture<Void> handled = new CompletableFuture<>();
		this.executor.execute(() -> {
			try {
				if (handle(message)) {
					handled.complete(null);
				}
				else {
					handled.completeExceptionally(notHandledReason());
				}
			}
			finally {
				finished();
			}
		});
		return handled;
	}

	private CompletableFuture<Void> notHandled() {
		return CompletableFuture.failedFuture(notHandledReason());
	}

	private MessageNotHandledException notHandledReason() {
		return new MessageNotHandledException("listener '" + this.listenerId + "' did not handle it");
	}

	private boolean handle(MqttMessage message) {
		synchronized (this.lock) {
			if (this.abandoned) {
				this.failures.record(this.listenerId, ListenerFailures.Kind.NOT_DRAINED);
				return false;
			}
		}
		boolean handled = this.delegate.handle(message, this::awaitRetry);
		if (!handled && isCut()) {
			this.failures.record(this.listenerId, ListenerFailures.Kind.NOT_DRAINED);
		}
		return handled;
	}

	/**
	 * The wait before a retry: cut short by {@link #abandon()}, {@link #cutBackOffs()} or
	 * an interrupt (restored).
	 */
	private boolean awaitRetry(long millis) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		synchronized (this.lock) {
			while (!this.abandoned && !this.backOffsCut) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return true;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.lock, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return false;
		}
	}

	private void finished() {
		synchronized (this.lock) {
			this.outstanding--;
			this.lock.notifyAll();
		}
	}

	private boolean isCut() {
		synchronized (this.lock) {
			return this.abandoned || this.backOffsCut;
		}
	}

	/**
	 * Ends every retry back-off, now and later, at once: that message is not handled and
	 * not acknowledged; the others are still handled as they come.
	 */
	void cutBackOffs() {
		synchronized (this.lock) {
			this.backOffsCut = true;
			this.lock.notifyAll();
		}
	}

	/**
	 * From now on takes at most {@code allowance} more messages (negative: no limit); the
	 * rest stay unacknowledged.
	 */
	void stopTaking(long allowance) {
		synchronized (this.lock) {
			this.allowance = allowance;
		}
	}

	/**
	 * Waits until every message taken was handled, up to {@code deadlineNanos}
	 * ({@link System#nanoTime()}); an interrupt ends the wait and is restored.
	 * @param moreToCome whether messages may still be on their way to this listener
	 * (queued in the client); checked while waiting
	 * @return whether nothing is left
	 */
	boolean awaitDrained(long deadlineNanos, java.util.function.BooleanSupplier moreToCome) {
		synchronized (this.lock) {
			while (this.outstanding > 0 || (this.allowance != 0 && moreToCome.getAsBoolean())) {
				long left = deadlineNanos - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.lock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	/**
	 * Waits until every message taken was handled and none was taken for
	 * {@code quietNanos}, up to {@code deadlineNanos}: the broker has stopped sending
	 * what it had queued under an unsubscribed filter. An interrupt ends the wait and is
	 * restored.
	 * @param moreToCome whether messages may still be on their way to this listener
	 * @return whether the listener went quiet before the deadline
	 */
	boolean awaitQuiet(long deadlineNanos, long quietNanos, java.util.function.BooleanSupplier moreToCome) {
		synchronized (this.lock) {
			while (true) {
				long now = System.nanoTime();
				long quietLeft = quietNanos - (now - this.lastTaken);
				if (this.outstanding == 0 && quietLeft <= 0 && !moreToCome.getAsBoolean()) {
					return true;
				}
				long left = deadlineNanos - now;
				if (left <= 0) {
					return false;
				}
				long wait = Math.min(left, TimeUnit.MILLISECONDS.toNanos(50));
				if (quietLeft > 0) {
					wait = Math.min(wait, quietLeft);
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.lock, Math.max(wait, 1));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
	}

	/** Messages taken and not yet finished with: handled, declined or given up. */
	int inFlight() {
		synchronized (this.lock) {
			return this.outstanding;
		}
	}

	/**
	 * Takes messages again, after {@link #stopTaking(long)}, to be subscribed a second
	 * time while the client still routes the filter to this listener (its UNSUBSCRIBE is
	 * unconfirmed): until the UNSUBACK takes the first route away, the client hands it
	 * each message once per route, and it takes each once.
	 */
	void reopenForSecondRoute() {
		synchronized (this.lock) {
			this.twoRoutes = true;
		}
		reopen();
	}

	/** Takes messages again, after {@link #stopTaking(long)} or {@link #abandon()}. */
	void reopen() {
		synchronized (this.lock) {
			this.allowance = -1;
			this.abandoned = false;
			this.backOffsCut = false;
		}
	}

	/** Gives up on what is left: not handled, not acknowledged. */
	void abandon() {
		int left;
		synchronized (this.lock) {
			this.abandoned = true;
			left = this.outstanding;
			this.lock.notifyAll();
		}
		if (left > 0) {
			logger.warn("MQTT listener '" + this.listenerId + "' stopped with " + left
					+ " message(s) queued or in progress when "
					+ "umqtt.shutdown-timeout ran out; those not handled by then are not acknowledged (with a persistent session the broker "
					+ "delivers them again, and the client holds back the acknowledgements after them until it "
					+ "reconnects)");
		}
	}

}
