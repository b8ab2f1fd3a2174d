package io.umqtt.core.connection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.umqtt.core.MqttException;
import io.umqtt.core.session.InboundDelivery;

/**
 * Received messages waiting for {@code waitMsg()} or {@code checkMsg()}, bounded in count
 * and in payload bytes. The connection reads the socket while the queue is below its
 * capacity ({@code inboundQueueCapacity} messages, {@code inboundQueueBytes} bytes) and
 * pauses at it, reading again once the queue is down to half: backpressure, not a
 * disconnect.
 * <p>
 * While the client waits for an answer from the broker (a PUBACK, PUBREC, PUBCOMP,
 * SUBACK, UNSUBACK, PINGRESP), the connection goes on reading past the capacity, because
 * the answer is behind the messages in the stream, however many the broker sends first:
 * into an overflow up to {@link #overflowFull() twice the capacity}, beyond which QoS 0
 * messages are dropped, and QoS 1 and 2 messages still queued up to {@link #hardFull()
 * the hard bound} (three times {@code inboundQueueBytes}; twice the capacity plus 65,535
 * messages), beyond which they are released without acknowledgement (see {@link Inbox}):
 * what is held stays bounded, and the answer is read. With no answer awaited nothing is
 * decoded past the overflow.
 * <p>
 * Beside messages, the queue carries route changes (a filter whose UNSUBACK arrived), run
 * by the reader in arrival order: what came before the UNSUBACK still reaches the
 * filter's listeners.
 * <p>
 * A lost connection that will not be re-established is reported once to a waiting reader;
 * {@code disconnect()} is reported to every reader from then on.
 * <p>
 * Thread-safe: the event loop adds, application threads take.
 */
public final class InboundQueue {

	/**
	 * QoS 1 and 2 messages the broker can have unacknowledged at once: one per packet id.
	 */
	static final int PACKET_IDS = 65_535;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	/** {@link InboundDelivery} and {@link RouteChange} entries, in arrival order. */
	private final ArrayDeque<Object> items = new ArrayDeque<>();

	private final int capacity;

	private final long capacityBytes;

	/** Twice {@link #capacityBytes}: the overflow's bound in bytes. */
	private final long overflowBytes;

	/**
	 * Three times {@link #capacityBytes}: the hard bound in bytes, a margin above the
	 * overflow for QoS 1 and 2.
	 */
	private final long hardBytes;

	/** Messages (not route changes) queued. */
	private int count;

	/** Payload bytes of the messages queued. */
	private long bytes;

	private int peak;

	private MqttException pendingFailure;

	private MqttException finalFailure;

	InboundQueue(int capacity, long capacityBytes) {
		if (capacity < 1) {
			throw new IllegalArgumentException("Inbound queue capacity must be at least 1, was " + capacity);
		}
		if (capacityBytes < 1) {
			throw new IllegalArgumentException("Inbound queue bytes must be at least 1, was " + capacityBytes);
		}
		this.capacity = capacity;
		this.capacityBytes = capacityBytes;
		this.overflowBytes = times(capacityBytes, 2);
		this.hardBytes = times(capacityBytes, 3);
	}

	private static long times(long bytes, int factor) {
		return (bytes > Long.MAX_VALUE / factor) ? Long.MAX_VALUE : bytes * factor;
	}

	int capacity() {
		return this.capacity;
	}

	long capacityBytes() {
		return this.capacityBytes;
	}

	/** The most messages that can be queued at once: the hard bound. */
	int hardCount() {
		return 2 * this.capacity + PACKET_IDS;
	}

	/**
	 * The most payload bytes queued before no more messages are kept: the hard bound in
	 * bytes.
	 */
	long hardBytes() {
		return this.hardBytes;
	}

	void add(InboundDelivery delivery) {
		this.lock.lock();
		try {
			this.items.add(delivery);
			this.count++;
			this.bytes += delivery.publish().payload().readableBytes();
			if (this.count > this.peak) {
				this.peak = this.count;
			}
			this.changed.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Queues a change of the routes, run by the reader that takes it, after every message
	 * queued before it has been taken.
	 */
	void addRouteChange(Runnable change) {
		this.lock.lock();
		try {
			this.items.add(new RouteChange(change));
			this.changed.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** At the capacity: reading pauses, unless an answer from the broker is awaited. */
	boolean full() {
		this.lock.lock();
		try {
			return this.count >= this.capacity || this.bytes >= this.capacityBytes;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Down to half the capacity: reading paused at the capacity may start again. */
	boolean drained() {
		this.lock.lock();
		try {
			return this.count <= this.capacity / 2 && this.bytes <= this.capacityBytes / 2;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Twice the capacity: nothing more is decoded unless an answer is awaited, and then
	 * QoS 0 messages are dropped.
	 */
	boolean overflowFull() {
		this.lock.lock();
		try {
			return this.count >= 2 * this.capacity || this.bytes >= this.overflowBytes;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The hard bound: no more messages are kept; QoS 1 and 2 ones are released
	 * unacknowledged.
	 */
	boolean hardFull() {
		this.lock.lock();
		try {
			return this.count >= hardCount() || this.bytes >= this.hardBytes;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Takes the next message, waiting up to {@code timeoutNanos}. Route changes met on
	 * the way are run in this thread.
	 * @param timeoutNanos how long to wait; negative waits for ever
	 * @return the message, or {@code null} when none came in time
	 * @throws MqttException when the connection was lost for good, or the client
	 * disconnected
	 * @throws InterruptedException when interrupted while waiting
	 */
	public InboundDelivery take(long timeoutNanos) throws InterruptedException {
		List<RouteChange> changes = null;
		this.lock.lockInterruptibly();
		try {
			long remaining = timeoutNanos;
			while (true) {
				Object next = this.items.poll();
				while (next instanceof RouteChange change) {
					changes = collect(changes, change);
					next = this.items.poll();
				}
				if (next != null) {
					return taken((InboundDelivery) next);
				}
				if (changes != null) {
					// run them before waiting: they may be the last thing queued for a
					// while
					runOutsideLock(changes);
					changes = null;
					continue;
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
			run(changes);
		}
	}

	/**
	 * The next message if one is there, else {@code null}; route changes before it are
	 * run.
	 */
	public InboundDelivery poll() {
		List<RouteChange> changes = null;
		this.lock.lock();
		try {
			Object next = this.items.poll();
			while (next instanceof RouteChange change) {
				changes = collect(changes, change);
				next = this.items.poll();
			}
			return (next != null) ? taken((InboundDelivery) next) : null;
		}
		finally {
			this.lock.unlock();
			run(changes);
		}
	}

	/**
	 * Runs the route changes at the head of the queue, up to the first message: what a
	 * reader that takes no message (an empty queue, or the messages it counted taken)
	 * still owes them.
	 */
	public void runRouteChanges() {
		List<RouteChange> changes = null;
		this.lock.lock();
		try {
			while (this.items.peek() instanceof RouteChange change) {
				this.items.poll();
				changes = collect(changes, change);
			}
		}
		finally {
			this.lock.unlock();
			run(changes);
		}
	}

	private InboundDelivery taken(InboundDelivery delivery) {
		this.count--;
		this.bytes -= delivery.publish().payload().readableBytes();
		return delivery;
	}

	private static List<RouteChange> collect(List<RouteChange> changes, RouteChange change) {
		List<RouteChange> all = (changes != null) ? changes : new ArrayList<>(1);
		all.add(change);
		return all;
	}

	/** Runs {@code changes} with the lock released, then takes it again. */
	private void runOutsideLock(List<RouteChange> changes) {
		this.lock.unlock();
		try {
			run(changes);
		}
		finally {
			this.lock.lock();
		}
	}

	private static void run(List<RouteChange> changes) {
		if (changes != null) {
			changes.forEach((change) -> change.action().run());
		}
	}

	/** Messages queued. */
	public int size() {
		this.lock.lock();
		try {
			return this.count;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Payload bytes of the messages queued. */
	public long bytes() {
		this.lock.lock();
		try {
			return this.bytes;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The most messages queued at once so far. */
	public int peak() {
		this.lock.lock();
		try {
			return this.peak;
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
	public void failForever(MqttException failure) {
		this.lock.lock();
		try {
			this.finalFailure = failure;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Takes out every message still queued, for release when the client finishes. */
	public ArrayDeque<InboundDelivery> drainAll() {
		this.lock.lock();
		try {
			ArrayDeque<InboundDelivery> all = new ArrayDeque<>();
			for (Object item : this.items) {
				if (item instanceof InboundDelivery delivery) {
					all.add(delivery);
				}
			}
			this.items.clear();
			this.count = 0;
			this.bytes = 0;
			return all;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A change of the routes, waiting in line behind the messages that arrived before it.
	 */
	private record RouteChange(Runnable action) {
	}

}
