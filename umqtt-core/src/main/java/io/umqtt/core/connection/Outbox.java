package io.umqtt.core.connection;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import io.umqtt.core.MqttException;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.session.InflightWindow;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.session.Session;
import org.slf4j.LoggerFactory;

/**
 * The way out, and the one owner of outbound flow control: admission (a slot in the queue
 * to the event loop, and for QoS 1 and 2 one in the in-flight window, both waited for up
 * to the publish timeout), the queue to the event loop, the offline buffer's policy while
 * disconnected, and the drain that hands messages to the session and the writer in
 * batches of one flush.
 * <p>
 * {@link #offer} and {@link #inflightCount()} are called by any thread; the rest on the
 * event loop.
 */
public final class Outbox {

	/** Slots per chunk of the queue to the event loop. */
	private static final int CHUNK = 32;

	/**
	 * The most messages one drain takes before letting other channels on the loop have a
	 * turn.
	 */
	private static final int BATCH = 8192;

	private final ClientConfig config;

	private final EventLoop loop;

	private final Session session;

	private final ChannelWriter writer;

	private final Supplier<ConnectionState> state;

	/**
	 * Run after every drain: answers may now be awaited, and the client may have become
	 * idle.
	 */
	private final Runnable afterDrain;

	private final InflightWindow window;

	private final Semaphore slots;

	/**
	 * Messages on their way to the event loop: an array-backed multi-producer queue (no
	 * node per message), bounded by {@link #slots}. Made by the first publish, so a
	 * client that only subscribes holds none.
	 */
	private volatile Queue<OutgoingMessage> queue;

	private final AtomicBoolean drainScheduled = new AtomicBoolean();

	private final AtomicLong unexpectedAcks = new AtomicLong();

	private final RateLimitedLog unexpectedAckLog = new RateLimitedLog(LoggerFactory.getLogger(Connection.class),
			Duration.ofSeconds(10));

	private final SessionOutputs outputs;

	Outbox(ClientConfig config, EventLoop loop, Session session, ChannelWriter writer, SessionOutputs outputs,
			Supplier<ConnectionState> state, Runnable afterDrain) {
		this.outputs = outputs;
		this.config = config;
		this.loop = loop;
		this.session = session;
		this.writer = writer;
		this.state = state;
		this.afterDrain = afterDrain;
		this.window = new InflightWindow(config.maxInflight());
		this.slots = new Semaphore(config.outboundQueueCapacity());
	}

	/**
	 * Admits a message and hands it to the event loop. Waits for room, up to the publish
	 * timeout (not at all on the event loop): in the queue, and for QoS 1 and 2 in the
	 * in-flight window.
	 * @param message the message, its own completion
	 * @return the message's completion; failed when there was no room
	 */
	public CompletableFuture<Void> offer(OutgoingMessage message) {
		boolean onLoop = this.loop.inEventLoop();
		if (!take(onLoop)) {
			message.fail(new MqttException("No room in the queue to the network (" + this.config.outboundQueueCapacity()
					+ " messages) within the publish timeout"));
			return message.completion();
		}
		if (message.qos() > 0) {
			boolean slot;
			try {
				slot = onLoop ? this.window.tryAcquire() : this.window.acquire(this.config.publishTimeout());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				slot = false;
			}
			if (!slot) {
				this.slots.release();
				message.fail(new MqttException("No room in the in-flight window (" + this.config.maxInflight()
						+ " messages) within the publish timeout"));
				return message.completion();
			}
			// the session gives the window slot back when the message completes or fails
			message.holding(this.window);
		}
		queue().add(message);
		if (this.drainScheduled.compareAndSet(false, true)) {
			this.loop.execute(this::drain);
		}
		return message.completion();
	}

	private boolean take(boolean onLoop) {
		if (onLoop) {
			return this.slots.tryAcquire();
		}
		try {
			return this.slots.tryAcquire(this.config.publishTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** QoS 1 and 2 messages admitted and not yet completed; any thread. */
	public int inflightCount() {
		return this.window.inUse();
	}

	/** The queue to the event loop, made on first use. */
	private Queue<OutgoingMessage> queue() {
		Queue<OutgoingMessage> made = this.queue;
		if (made == null) {
			synchronized (this) {
				made = this.queue;
				if (made == null) {
					// linked chunks, added while messages wait and dropped once taken
					made = PlatformDependent.newMpscQueue(CHUNK, Math.max(this.config.outboundQueueCapacity(), 64));
					this.queue = made;
				}
			}
		}
		return made;
	}

	/** Whether messages wait in the queue to the event loop. */
	boolean waiting() {
		Queue<OutgoingMessage> made = this.queue;
		return made != null && !made.isEmpty();
	}

	/** The channel has room again: drain what waits. */
	void onWritable() {
		if (waiting() && this.drainScheduled.compareAndSet(false, true)) {
			drain();
		}
	}

	/**
	 * Hands what waits to the session and the writer, at most one batch, with one flush:
	 * straight to the wire when connected, into the session's offline buffer while a
	 * connection is being made, failed when no connection will come.
	 */
	void drain() {
		this.drainScheduled.set(false);
		Queue<OutgoingMessage> waiting = this.queue;
		if (waiting == null) {
			return;
		}
		ConnectionState now = this.state.get();
		boolean connected = this.writer.attached();
		boolean finished = now instanceof ConnectionState.Finished;
		boolean buffering = !connected && !finished
				&& (this.config.reconn() || now instanceof ConnectionState.Connecting);
		int sent = 0;
		int taken = 0;
		boolean blocked = false;
		OutgoingMessage message;
		while (sent < BATCH && (!connected || this.writer.writable()) && (message = waiting.peek()) != null) {
			if (buffering && !makeOfflineRoom(message)) {
				// BLOCK: leave it in the queue; publishers wait until reconnected, and
				// the CONNACK
				// drains again
				blocked = true;
				break;
			}
			waiting.poll();
			taken++;
			if (finished) {
				message.fail(new MqttException("The client is disconnected"));
				continue;
			}
			if (!connected) {
				if (!buffering) {
					message.fail(new MqttException(
							"Not connected to " + this.config.address() + " and internal reconnection is off"));
				}
				else if (offlineFull(message)) {
					message.fail(new MqttException("Offline buffer full (" + this.config.offlineQueueCapacity()
							+ " messages, " + this.config.offlineQueueBytes() + " bytes) while disconnected from "
							+ this.config.address()));
				}
				else {
					this.session.publish(message, this.outputs.scratch());
					this.outputs.carryOut();
				}
				continue;
			}
			if (message.qos() == 0 && this.session.queuedCount() == 0 && !this.session.isolating()) {
				// completed together when the batch they are in is written; not while a
				// message is isolated: written behind it, a QoS 0 one would hide whether
				// the broker closed on it
				this.writer.sendAtMostOnce(message);
			}
			else {
				this.session.publish(message, this.outputs.scratch());
				this.outputs.carryOut();
			}
			sent++;
		}
		if (taken > 0) {
			// one release for the batch: publishers waiting for room wake once, not per
			// message
			this.slots.release(taken);
		}
		if (connected) {
			this.writer.flush();
		}
		if (!blocked && !waiting.isEmpty() && (!connected || this.writer.writable())
				&& this.drainScheduled.compareAndSet(false, true)) {
			// more than one batch waiting: let other channels on this loop have a turn
			// first
			this.loop.execute(this::drain);
		}
		this.afterDrain.run();
	}

	private boolean offlineFull(OutgoingMessage message) {
		return this.session.queuedCount() >= this.config.offlineQueueCapacity()
				|| this.session.queuedBytes() + message.payload().length > this.config.offlineQueueBytes();
	}

	/**
	 * Applies the offline overflow policy before a message is buffered while
	 * disconnected.
	 * @return false when the message must wait (BLOCK); true to go on (queued, or failed
	 * by FAIL_NEW)
	 */
	private boolean makeOfflineRoom(OutgoingMessage message) {
		switch (this.config.offlineOverflow()) {
			case BLOCK -> {
				return !offlineFull(message);
			}
			case DROP_OLDEST -> {
				while (offlineFull(message) && this.session.dropOldestQueued(
						new MqttException("Dropped from the full offline buffer (oldest first) while disconnected from "
								+ this.config.address()))) {
					// dropped one
				}
				return true;
			}
			default -> {
				return true;
			}
		}
	}

	/** A PUBACK: the QoS 1 message is done, and one queued behind the window may go. */
	void onPubAck(PubAck ack) {
		this.session.onPubAck(ack, this.outputs.scratch());
		this.outputs.carryOut();
	}

	/** A PUBREC: the QoS 2 message's PUBREL goes out. */
	void onPubRec(PubRec rec) {
		this.session.onPubRec(rec, this.outputs.scratch());
		this.outputs.carryOut();
	}

	/** A PUBCOMP: the QoS 2 message is done, and one queued behind the window may go. */
	void onPubComp(PubComp comp) {
		this.session.onPubComp(comp, this.outputs.scratch());
		this.outputs.carryOut();
	}

	/** Acknowledgements that arrived for a packet id not in flight; any thread. */
	public long unexpectedAcks() {
		return this.unexpectedAcks.get();
	}

	/**
	 * An acknowledgement for a packet id not in flight: counted and logged, not a
	 * protocol violation. MQTT 3.1.1 names no rule it breaks, and it happens without
	 * fault: a broker may acknowledge a PUBLISH resent with DUP after a reconnect
	 * [MQTT-4.3.2-2, MQTT-4.4.0-1] for which an acknowledgement was already under way,
	 * and a PUBREC after the message was given up.
	 */
	void unexpectedAck(String type, int packetId) {
		long count = this.unexpectedAcks.incrementAndGet();
		this.unexpectedAckLog.warn(() -> "Client '" + this.config.clientId() + "' got " + type + " for packet id "
				+ packetId + ", which is not in flight; ignored (" + count + " so far)", null);
	}

	/** The client is finished: every message still waiting fails with {@code failure}. */
	void failAll(MqttException failure) {
		Queue<OutgoingMessage> waiting = this.queue;
		OutgoingMessage message;
		while (waiting != null && (message = waiting.poll()) != null) {
			this.slots.release();
			message.fail(failure);
		}
	}

}
