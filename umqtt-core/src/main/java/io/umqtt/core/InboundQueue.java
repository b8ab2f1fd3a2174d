package io.umqtt.core;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.umqtt.core.session.InboundDelivery;

/**
 * Received messages waiting for {@code waitMsg()} or {@code checkMsg()}. When it holds
 * {@code capacity} messages the connection stops reading the socket, and reads again once it is
 * down to half: backpressure, not a disconnect and not unbounded memory. What one socket read
 * already brought in is still added, so the queue can pass its capacity by that much.
 * <p>
 * A lost connection that will not be re-established is reported once to a waiting reader;
 * {@code disconnect()} is reported to every reader from then on.
 * <p>
 * Thread-safe: the event loop adds, application threads take.
 */
final class InboundQueue {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final ArrayDeque<InboundDelivery> items = new ArrayDeque<>();

	private final int capacity;

	private MqttException pendingFailure;

	private MqttException finalFailure;

	private int blockedDeliverers;

	InboundQueue(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("Inbound queue capacity must be at least 1, was " + capacity);
		}
		this.capacity = capacity;
	}

	void add(InboundDelivery delivery) {
		this.lock.lock();
		try {
			this.items.add(delivery);
			this.changed.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether the socket may be read: room in the queue, or a reader is blocked publishing. */
	boolean readAllowed() {
		this.lock.lock();
		try {
			return this.items.size() < this.capacity || this.blockedDeliverers > 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether the queue has drained enough to read again. */
	boolean resumeAllowed() {
		this.lock.lock();
		try {
			return this.items.size() <= this.capacity / 2 || this.blockedDeliverers > 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Takes the next message, waiting up to {@code timeoutNanos}.
	 * @param timeoutNanos how long to wait; negative waits for ever
	 * @return the message, or {@code null} when none came in time
	 * @throws MqttException when the connection was lost for good, or the client disconnected
	 * @throws InterruptedException when interrupted while waiting
	 */
	InboundDelivery take(long timeoutNanos) throws InterruptedException {
		this.lock.lockInterruptibly();
		try {
			long remaining = timeoutNanos;
			while (true) {
				InboundDelivery next = this.items.poll();
				if (next != null) {
					return next;
				}
				if (this.finalFailure != null) {
					throw this.finalFailure;
				}
				if (this.pendingFailure != null) {
					MqttException failure = this.pendingFailure;
					this.pendingFailure = null;
					throw failure;
				}
				if (timeoutNanos < 0) {
					this.changed.await();
				}
				else {
					if (remaining <= 0) {
						return null;
					}
					remaining = this.changed.awaitNanos(remaining);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The next message if one is there, else {@code null}. */
	InboundDelivery poll() {
		this.lock.lock();
		try {
			return this.items.poll();
		}
		finally {
			this.lock.unlock();
		}
	}

	int size() {
		this.lock.lock();
		try {
			return this.items.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Reports a lost connection to one reader. */
	void failOnce(MqttException failure) {
		this.lock.lock();
		try {
			this.pendingFailure = failure;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** A new connection is up: a failure nobody saw is moot. */
	void clearFailure() {
		this.lock.lock();
		try {
			this.pendingFailure = null;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The client is finished: every reader from now on is told so. */
	void failForever(MqttException failure) {
		this.lock.lock();
		try {
			this.finalFailure = failure;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Takes out everything still queued, for release when the client finishes. */
	ArrayDeque<InboundDelivery> drainAll() {
		this.lock.lock();
		try {
			ArrayDeque<InboundDelivery> all = new ArrayDeque<>(this.items);
			this.items.clear();
			return all;
		}
		finally {
			this.lock.unlock();
		}
	}

	void deliveringThreadBlocked(boolean blocked) {
		this.lock.lock();
		try {
			this.blockedDeliverers += blocked ? 1 : -1;
		}
		finally {
			this.lock.unlock();
		}
	}

}
