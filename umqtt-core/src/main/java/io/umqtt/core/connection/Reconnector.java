package io.umqtt.core.connection;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Internal reconnection: the next attempt after the {@link Backoff}'s delay, and the
 * background connect that retries until a connection is accepted or a refusal is final.
 * Event loop only.
 */
final class Reconnector {

	private final EventLoop loop;

	private final Backoff backoff;

	private ScheduledFuture<?> timer;

	private int failed;

	/** Reconnections that succeeded; read by any thread. */
	private final AtomicLong reconnects = new AtomicLong();

	/**
	 * Completed once a connection started with {@code connectInBackground} succeeds or
	 * cannot.
	 */
	private CompletableFuture<Boolean> background;

	Reconnector(EventLoop loop, Backoff backoff) {
		this.loop = loop;
		this.backoff = backoff;
	}

	/** Runs {@code attempt} after the back-off for the attempts failed so far. */
	void schedule(Runnable attempt) {
		long delay = this.backoff.delayNanos(this.failed++);
		this.timer = this.loop.schedule(() -> {
			this.timer = null;
			attempt.run();
		}, delay, TimeUnit.NANOSECONDS);
	}

	/** Whether an attempt is scheduled. */
	boolean scheduled() {
		return this.timer != null;
	}

	/** Cancels the scheduled attempt, if any. */
	void cancel() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

	/** A connection was accepted: the back-off starts again from its first delay. */
	void succeeded() {
		this.failed = 0;
	}

	/**
	 * The back-off goes on from at least {@code attempts} failed attempts (after session
	 * take-overs in a row, which each followed an accepted connection).
	 */
	void atLeast(int attempts) {
		this.failed = Math.max(this.failed, attempts);
	}

	/** A reconnection succeeded. */
	void reconnected() {
		this.reconnects.incrementAndGet();
	}

	long reconnects() {
		return this.reconnects.get();
	}

	/** The background connect under way, or {@code null}. */
	CompletableFuture<Boolean> background() {
		return this.background;
	}

	void startBackground(CompletableFuture<Boolean> result) {
		this.background = result;
	}

	/** Settles the background connect, if one is under way. */
	void endBackground(Boolean present, Throwable failure) {
		CompletableFuture<Boolean> pending = this.background;
		this.background = null;
		if (pending != null) {
			complete(pending, present, failure);
		}
	}

	static <T> void complete(CompletableFuture<T> target, T value, Throwable failure) {
		if (failure != null) {
			target.completeExceptionally(failure);
		}
		else {
			target.complete(value);
		}
	}

}
