package io.umqtt.core.connection;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.umqtt.core.netty.MqttDecoderHandler;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.session.InboundDelivery;
import io.umqtt.core.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way in: received messages into the {@link InboundQueue}, their acknowledgements
 * back once delivered, and whether the socket is read (paused at the queue's capacity,
 * read on while an answer from the broker is awaited; the policy is described on
 * {@link InboundQueue}). Also the slots of messages handed to asynchronous listeners.
 * <p>
 * While an answer is awaited the socket is read whatever the queue holds, so the answer
 * is always read. Beyond the queue's hard bound a QoS 0 message is dropped, and a QoS 1
 * or 2 message is released without acknowledgement: the broker still owns it. Once the
 * queue has drained to half, whatever answers are still awaited, a persistent session's
 * connection is closed, once per drain, and the normal reconnect path makes the broker
 * send those messages again (messages in flight go again with DUP, requests are sent
 * again, as after any lost connection); on a clean session they are lost (each one
 * counted, with a WARN).
 * <p>
 * {@link #acknowledge}, {@link #readerProgressed}, {@link #queue()} and the asynchronous
 * slots are for any thread; the rest runs on the event loop.
 */
public final class Inbox {

	private static final Logger logger = LoggerFactory.getLogger(Inbox.class);

	/**
	 * What the connection does about messages released unacknowledged beyond the hard
	 * bound. Event loop only.
	 */
	interface Redelivery {

		/**
		 * Whether the broker keeps a session for this client, and so sends such messages
		 * again.
		 */
		boolean persistent();

		/**
		 * Closes {@code ch} so that the normal reconnect path makes the broker send them
		 * again.
		 * @return whether the connection is closed for it (not when it would not be
		 * re-established)
		 */
		boolean reconnect(Channel ch, long released);

	}

	/** A clean session, no reconnection: for an inbox on its own. */
	private static final Redelivery NONE = new Redelivery() {

		@Override
		public boolean persistent() {
			return false;
		}

		@Override
		public boolean reconnect(Channel ch, long released) {
			return false;
		}

	};

	private final EventLoop loop;

	private final Session session;

	private final ChannelWriter writer;

	private final InboundQueue queue;

	private final ClientEvents events;

	private final Queue<InboundDelivery> delivered = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean ackScheduled = new AtomicBoolean();

	private final AtomicBoolean resumeScheduled = new AtomicBoolean();

	/** Messages handed to asynchronous listeners and not yet handled. */
	private final Semaphore asyncDeliveries;

	private volatile boolean readingPaused;

	/** The queue reached its capacity and has not drained to half since. */
	private boolean deliveryPaused;

	/** The queue is at its bound: no packet is decoded. */
	private boolean gateClosed;

	/** QoS 0 messages dropped since the overflow last filled up. */
	private long droppedInOverflow;

	private final SessionOutputs outputs;

	private final Redelivery redelivery;

	private final String clientId;

	private final RateLimitedLog releaseLog = new RateLimitedLog(logger, Duration.ofSeconds(10));

	/**
	 * QoS 1 and 2 messages released unacknowledged beyond the hard bound on this
	 * connection.
	 */
	private long releasedUnacknowledged;

	/** The connection was asked to reconnect for them (or could not be). */
	private boolean redeliveryAsked;

	/**
	 * Messages were released and the reconnect for them is not yet asked: the queue's
	 * drain is watched. Written on the event loop, read by readers.
	 */
	private volatile boolean redeliveryDue;

	/** Connections closed so that the broker sends released messages again. */
	private long redeliveryReconnects;

	Inbox(ClientConfig config, EventLoop loop, Session session, ChannelWriter writer, SessionOutputs outputs,
			ClientEvents events) {
		this(config, loop, session, writer, outputs, events, NONE);
	}

	Inbox(ClientConfig config, EventLoop loop, Session session, ChannelWriter writer, SessionOutputs outputs,
			ClientEvents events, Redelivery redelivery) {
		this.redelivery = redelivery;
		this.clientId = config.clientId();
		this.outputs = outputs;
		this.loop = loop;
		this.session = session;
		this.writer = writer;
		this.events = events;
		this.queue = new InboundQueue(config.inboundQueueCapacity(), config.inboundQueueBytes());
		this.asyncDeliveries = new Semaphore(config.inboundQueueCapacity());
	}

	/** The received messages, for the reader. */
	public InboundQueue queue() {
		return this.queue;
	}

	/** A PUBLISH from the broker, on a connected channel. */
	void onPublish(Channel ch, Publish publish) {
		if (publish.qos() == 0 && this.queue.overflowFull()) {
			// decoded only because an answer is awaited behind it (see InboundQueue): at
			// most once
			// allows dropping it, so the answer is read and nothing grows without bound
			if (this.droppedInOverflow++ == 0) {
				this.events.overflowDropping(this.queue.size());
			}
			this.events.dropped(publish);
			publish.payload().release();
			return;
		}
		if (publish.qos() > 0 && this.queue.hardFull()) {
			releaseUnacknowledged(publish);
			return;
		}
		this.session.onPublish(publish, this.outputs.scratch());
		this.outputs.carryOut();
	}

	/**
	 * A QoS 1 or 2 message beyond the hard bound, read only because an answer is awaited
	 * behind it: released without acknowledgement, so the broker still owns it.
	 */
	private void releaseUnacknowledged(Publish publish) {
		this.releasedUnacknowledged++;
		if (!this.redeliveryAsked) {
			this.redeliveryDue = true;
		}
		this.events.dropped(publish);
		publish.payload().release();
		boolean persistent = this.redelivery.persistent();
		int qos = publish.qos();
		this.releaseLog.warn(() -> "'" + this.clientId + "': the inbound queue is at its hard bound ("
				+ this.queue.size() + " messages, " + this.queue.bytes() + " bytes) while an answer from the broker "
				+ "is awaited behind more messages: a QoS " + qos + " message is released without acknowledgement ("
				+ this.releasedUnacknowledged + " on this connection); "
				+ (persistent
						? "the broker keeps it and sends it again on the next connection, made once the "
								+ "queue has drained"
						: "on a clean session the broker does not send it again: it is lost"),
				null);
	}

	/** A received message the session lets through: queued for the reader. */
	void deliver(InboundDelivery delivery) {
		this.queue.add(delivery);
		this.events.received(delivery.publish());
		if (this.deliveryPaused || this.queue.full()) {
			updateReading(this.writer.channel());
		}
	}

	/** A PUBREL for a received QoS 2 message: its PUBCOMP goes out. */
	void onPubRel(PubRel rel) {
		this.session.onPubRel(rel, this.outputs.scratch());
		this.outputs.carryOut();
	}

	/** A delivered message may now be acknowledged; any thread. */
	public void acknowledge(InboundDelivery delivery) {
		this.delivered.add(delivery);
		if (this.ackScheduled.compareAndSet(false, true)) {
			this.loop.execute(this::drainAcks);
		}
	}

	private void drainAcks() {
		this.ackScheduled.set(false);
		InboundDelivery delivery;
		while ((delivery = this.delivered.poll()) != null) {
			this.session.onDelivered(delivery, this.outputs.scratch());
			this.outputs.carryOut();
		}
		this.writer.flush();
		if (this.readingPaused || this.redeliveryDue) {
			updateReading(this.writer.channel());
		}
	}

	/** A reader took messages out of the queue; any thread. */
	public void readerProgressed() {
		if ((this.readingPaused || this.redeliveryDue) && this.resumeScheduled.compareAndSet(false, true)) {
			this.loop.execute(() -> {
				this.resumeScheduled.set(false);
				if (this.readingPaused || this.redeliveryDue) {
					updateReading(this.writer.channel());
				}
			});
		}
	}

	/**
	 * Waits for room among messages handed to asynchronous listeners (as many as the
	 * queue's capacity); given back with {@link #releaseAsync}.
	 * @throws InterruptedException when interrupted while waiting
	 */
	public void acquireAsync() throws InterruptedException {
		this.asyncDeliveries.acquire();
	}

	/** Gives back {@code permits} slots of {@link #acquireAsync}. */
	public void releaseAsync(int permits) {
		this.asyncDeliveries.release(permits);
	}

	/**
	 * Whether the socket is not read now (for keep-alive: a paused reader is not a dead
	 * link).
	 */
	boolean readingPaused() {
		return this.readingPaused;
	}

	/** Whether packets of {@code ch} are decoded now. */
	boolean acceptsPackets(Channel ch) {
		return !this.gateClosed || ch != this.writer.channel();
	}

	/** An answer arrived: perhaps none is awaited any more, and reading pauses. */
	void answered(Channel ch) {
		if (this.deliveryPaused || this.redeliveryDue) {
			updateReading(ch);
		}
	}

	/** Something now awaits an answer: reading paused for delivery may have to go on. */
	void awaitingAnswer() {
		if (this.readingPaused) {
			updateReading(this.writer.channel());
		}
	}

	/** The connection closed: the next one starts reading. */
	void reset() {
		this.readingPaused = false;
		this.deliveryPaused = false;
		this.gateClosed = false;
		this.droppedInOverflow = 0;
		this.releasedUnacknowledged = 0;
		this.redeliveryAsked = false;
		this.redeliveryDue = false;
	}

	/**
	 * How many connections were closed so that the broker sends released messages again.
	 */
	long redeliveryReconnects() {
		return this.redeliveryReconnects;
	}

	/**
	 * QoS 1 and 2 messages released unacknowledged on this connection (see
	 * {@link Inbox}).
	 */
	long releasedUnacknowledged() {
		return this.releasedUnacknowledged;
	}

	/**
	 * Decides whether the socket is read and packets decoded, from the queue's fill and
	 * whether an answer is awaited.
	 */
	private void updateReading(Channel ch) {
		if (ch == null || ch != this.writer.channel()) {
			return;
		}
		boolean awaiting = this.session.awaitingAnswers() || this.writer.awaitingPingResponse();
		if (!this.deliveryPaused) {
			this.deliveryPaused = this.queue.full();
		}
		else if (this.queue.drained()) {
			this.deliveryPaused = false;
		}
		boolean overflowFull = this.queue.overflowFull();
		if (!overflowFull && this.droppedInOverflow > 0) {
			this.events.overflowDropped(this.droppedInOverflow);
			this.droppedInOverflow = 0;
		}
		if (this.releasedUnacknowledged > 0 && !this.deliveryPaused && !this.redeliveryAsked) {
			// the queue has drained: time to have the released messages again, whatever
			// is awaited (answers in flight come again on the next connection), once
			this.redeliveryAsked = true;
			this.redeliveryDue = false;
			if (this.redelivery.persistent() && this.redelivery.reconnect(ch, this.releasedUnacknowledged)) {
				this.redeliveryReconnects++;
				return;
			}
		}
		boolean wasClosed = this.gateClosed;
		// while an answer is awaited every packet is read: beyond the hard bound nothing
		// is kept
		this.gateClosed = overflowFull && !awaiting;
		boolean read = !this.gateClosed && (!this.deliveryPaused || awaiting);
		if (read == this.readingPaused) {
			this.readingPaused = !read;
			ch.config().setAutoRead(read);
		}
		if (wasClosed && !this.gateClosed && ch.pipeline().get("decoder") instanceof MqttDecoderHandler held) {
			held.decodeHeld(ch);
		}
	}

}
