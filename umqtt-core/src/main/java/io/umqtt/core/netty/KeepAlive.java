package io.umqtt.core.netty;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Keeps a connection alive and notices when it is dead, without the application's help: a
 * PINGREQ goes out when nothing was sent, or nothing was received, for the keep-alive
 * interval; if nothing at all comes back within 0.4 × the interval after it, the
 * connection is dead. So a dead link is noticed at most 1.4 × the interval after the last
 * byte received. While reading is paused for backpressure the response deadline is not
 * enforced (the response would sit unread).
 * <p>
 * Confined to the channel's event loop.
 */
public final class KeepAlive {

	private final EventLoop loop;

	private final long intervalNanos;

	private final long responseTimeoutNanos;

	private final Runnable sendPing;

	private final Consumer<String> onDead;

	private final BooleanSupplier readingPaused;

	private long lastWrite;

	private long lastRead;

	private long pingSent;

	private ScheduledFuture<?> timer;

	private boolean running;

	/**
	 * Creates a new {@code KeepAlive}.
	 * @param loop the channel's event loop
	 * @param intervalSeconds the keep-alive interval, more than 0
	 * @param sendPing sends and flushes a PINGREQ
	 * @param onDead told the connection is dead, with the reason
	 * @param readingPaused whether reading is paused for backpressure
	 */
	public KeepAlive(EventLoop loop, int intervalSeconds, Runnable sendPing, Consumer<String> onDead,
			BooleanSupplier readingPaused) {
		this.loop = loop;
		this.intervalNanos = TimeUnit.SECONDS.toNanos(intervalSeconds);
		this.responseTimeoutNanos = this.intervalNanos * 2 / 5;
		this.sendPing = sendPing;
		this.onDead = onDead;
		this.readingPaused = readingPaused;
	}

	/** Starts watching, counting from now. */
	public void start() {
		long now = System.nanoTime();
		this.lastWrite = now;
		this.lastRead = now;
		this.pingSent = 0;
		this.running = true;
		schedule(this.intervalNanos);
	}

	/** Stops watching. */
	public void stop() {
		this.running = false;
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

	/** Something was written. */
	public void onWrite() {
		this.lastWrite = System.nanoTime();
	}

	/** Something was read: the link is alive. */
	public void onRead() {
		this.lastRead = System.nanoTime();
		this.pingSent = 0;
	}

	/** An explicit PINGREQ went out. */
	public void onPingSent() {
		if (this.pingSent == 0) {
			this.pingSent = System.nanoTime();
		}
	}

	/** Whether a PINGREQ went out and nothing has been read since. */
	public boolean awaitingResponse() {
		return this.running && this.pingSent != 0;
	}

	private void schedule(long delayNanos) {
		this.timer = this.loop.schedule(this::check, Math.max(delayNanos, 1_000_000L), TimeUnit.NANOSECONDS);
	}

	private void check() {
		if (!this.running) {
			return;
		}
		long now = System.nanoTime();
		if (this.pingSent != 0) {
			long waited = now - this.pingSent;
			if (waited >= this.responseTimeoutNanos) {
				if (this.readingPaused.getAsBoolean()) {
					// The PINGRESP may be queued behind unread messages; look again
					// later.
					this.pingSent = now;
					schedule(this.responseTimeoutNanos);
					return;
				}
				this.running = false;
				this.onDead.accept("Send ping timeout.");
				return;
			}
			schedule(this.responseTimeoutNanos - waited);
			return;
		}
		long due = Math.min(this.lastWrite, this.lastRead) + this.intervalNanos;
		if (now - due >= 0) {
			this.pingSent = now;
			this.sendPing.run();
			schedule(this.responseTimeoutNanos);
		}
		else {
			schedule(due - now);
		}
	}

}
