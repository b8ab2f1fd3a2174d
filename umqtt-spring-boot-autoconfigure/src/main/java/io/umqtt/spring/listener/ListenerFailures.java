package io.umqtt.spring.listener;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, by kind, the listener failures an operator must see: the ones that leave a
 * message unacknowledged, and an error handler that threw. Read by the
 * {@code umqtt.listener.failures} meter. Thread-safe.
 */
public final class ListenerFailures {

	/** Counts what nobody reads: for adapters made outside a registry. */
	static final ListenerFailures NONE = new ListenerFailures();

	/** What went wrong. */
	public enum Kind {

		/** The error handler threw; the message was acknowledged. */
		ERROR_HANDLER_FAILED,

		/** The dead-letter publish failed; the message was not acknowledged. */
		DEAD_LETTER_FAILED,

		/**
		 * A stop came before the message was handled (queued, or waiting to be retried);
		 * not acknowledged.
		 */
		NOT_DRAINED

	}

	private final Map<Kind, LongAdder> counts = new EnumMap<>(Kind.class);

	public ListenerFailures() {
		for (Kind kind : Kind.values()) {
			this.counts.put(kind, new LongAdder());
		}
	}

	void record(String listenerId, Kind kind) {
		this.counts.get(kind).increment();
	}

	void record(String listenerId, Kind kind, int times) {
		this.counts.get(kind).add(times);
	}

	/** How many failures of {@code kind} there were. */
	public long count(Kind kind) {
		return this.counts.get(kind).sum();
	}

}
