package io.umqtt.core.connection;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;

/**
 * A WARN that repeats in bursts logged without flooding: the first one in full (with its
 * stack trace), then at most one line per interval, without a trace, saying how many were
 * left out. Thread-safe.
 */
public final class RateLimitedLog {

	private final Logger logger;

	private final long intervalNanos;

	private boolean loggedOnce;

	private long lastLogged;

	private long suppressed;

	public RateLimitedLog(Logger logger, Duration interval) {
		this.logger = logger;
		this.intervalNanos = interval.toNanos();
	}

	/**
	 * Logs {@code text} at WARN unless one was logged less than an interval ago.
	 * @param text the line, built only when it is logged
	 * @param cause logged with the first line only; may be {@code null}
	 * @return whether it was logged
	 */
	public boolean warn(Supplier<String> text, Throwable cause) {
		long now = System.nanoTime();
		long left;
		boolean first;
		synchronized (this) {
			if (this.loggedOnce && now - this.lastLogged < this.intervalNanos) {
				this.suppressed++;
				return false;
			}
			first = !this.loggedOnce;
			this.loggedOnce = true;
			this.lastLogged = now;
			left = this.suppressed;
			this.suppressed = 0;
		}
		if (!this.logger.isWarnEnabled()) {
			return true;
		}
		if (first) {
			this.logger.warn(text.get(), cause);
		}
		else {
			this.logger.warn("{} ({} more like it not logged in the last {} s; stack traces only on the first)",
					text.get(), left, this.intervalNanos / 1_000_000_000L);
		}
		return true;
	}

	/** How many lines were left out since the last one logged. */
	synchronized long suppressed() {
		return this.suppressed;
	}

}
