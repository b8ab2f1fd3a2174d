package io.umqtt.core.session;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how many QoS 1 and 2 publishes a client has outstanding. A publisher takes a
 * slot before it hands a message to the connection and the slot comes back when the
 * message is acknowledged or fails; when none is free the publisher waits: backpressure,
 * never a "too many publishes" error.
 * <p>
 * Thread-safe: publishers on any thread take slots, the event loop gives them back.
 */
public final class InflightWindow {

	private final int size;

	private final Semaphore slots;

	/**
	 * A window of {@code size} slots.
	 * @param size 1 to 65,535
	 */
	public InflightWindow(int size) {
		if (size < 1 || size > 65_535) {
			throw new IllegalArgumentException("In-flight window must be 1..65535, was " + size);
		}
		this.size = size;
		this.slots = new Semaphore(size, true);
	}

	/**
	 * Takes a slot, waiting up to {@code timeout} for one.
	 * @param timeout how long to wait
	 * @return whether a slot was taken
	 * @throws InterruptedException when interrupted while waiting
	 */
	public boolean acquire(Duration timeout) throws InterruptedException {
		return this.slots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	/** Takes a slot when one is free at once. */
	public boolean tryAcquire() {
		return this.slots.tryAcquire();
	}

	/** Gives a slot back. */
	public void release() {
		this.slots.release();
	}

	/** The number of slots. */
	public int size() {
		return this.size;
	}

	/** How many slots are taken now. */
	public int inUse() {
		return this.size - this.slots.availablePermits();
	}

}
