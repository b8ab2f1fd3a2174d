package io.umqtt.core.session;

import java.util.concurrent.CompletableFuture;

import io.netty.buffer.Unpooled;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import org.jspecify.annotations.Nullable;

/**
 * A message the application publishes, tracked by the {@link Session} from the moment it
 * is handed over until it is acknowledged (PUBACK for QoS 1, PUBCOMP for QoS 2) or fails.
 * Its {@link #completion()} is the plain future {@code publishAsync} returns, completed
 * when the message is delivered to the broker as its QoS promises, or failed; the
 * publisher cannot reach the message through it. Only the session completes it
 * ({@link #succeed()}); the connection fails one it never hands to the session
 * ({@link #fail(Throwable)}).
 * <p>
 * As a {@link SessionOutput} it stands for the packet its state calls for: its first
 * PUBLISH until released, then its PUBREL.
 * <p>
 * The payload is the application's array, not copied: the connection encodes the first
 * PUBLISH straight from this message's fields (no {@link Publish} record, no buffer
 * around the array), and a resend wraps the same array. Nothing here needs releasing.
 */
public final class OutgoingMessage implements SessionOutput {

	/** Where a QoS 1 or 2 message is in its flow. */
	public enum State {

		/** Waiting for room in the window or for a connection; no packet id yet. */
		QUEUED,

		/** PUBLISH sent, waiting for PUBACK (QoS 1) or PUBREC (QoS 2). */
		PUBLISHED,

		/** PUBREC received and PUBREL sent, waiting for PUBCOMP (QoS 2 only). */
		RELEASED

	}

	private static final State[] STATES = State.values();

	/** The flag of {@link #retain()}. */
	private static final byte RETAIN = 1;

	/** The flag of {@link #isolated()}. */
	private static final byte ISOLATED = 2;

	/** The flag of {@link #resendPending()}. */
	private static final byte RESEND_PENDING = 4;

	private final String topic;

	private final byte[] payload;

	/** Its MQTT 5 PUBLISH properties, {@link PacketProperties#NONE} on 3.1.1. */
	private final PacketProperties properties;

	/**
	 * What the publisher waits on: a separate object, so that it cannot complete the
	 * message.
	 */
	private final CompletableFuture<Void> completion = new CompletableFuture<>();

	private int packetId;

	private final byte qos;

	/**
	 * The {@code RETAIN}, {@code ISOLATED} and {@code RESEND_PENDING} flags: with the
	 * state and the close count in bytes of their own, the message stays at 48 bytes with
	 * compressed oops, its properties' reference and its send-order links included.
	 */
	private byte flags;

	/** The {@link State}'s ordinal. */
	private byte state;

	/**
	 * Connections that closed after its PUBLISH was sent and before its acknowledgement.
	 */
	private byte closedBeforeAck;

	/**
	 * The window slot this message holds, given back when it completes or fails; may be
	 * null.
	 */
	private @Nullable InflightWindow window;

	/** Neighbours in the session's send order while in flight. */
	@Nullable OutgoingMessage previous;

	@Nullable OutgoingMessage next;

	/**
	 * Creates a new {@code OutgoingMessage}.
	 * @param topic a valid topic name
	 * @param qos 0, 1 or 2
	 * @param retain the retain flag
	 * @param payload the message, not copied: it must not change until the message
	 * completes
	 */
	public OutgoingMessage(String topic, int qos, boolean retain, byte[] payload) {
		this(topic, qos, retain, payload, PacketProperties.NONE);
	}

	/**
	 * Creates a new {@code OutgoingMessage} with MQTT 5 properties.
	 * @param topic a valid topic name
	 * @param qos 0, 1 or 2
	 * @param retain the retain flag
	 * @param payload the message, not copied: it must not change until the message
	 * completes
	 * @param properties its PUBLISH properties, sent with it and with every resend
	 */
	public OutgoingMessage(String topic, int qos, boolean retain, byte[] payload, PacketProperties properties) {
		this.topic = topic;
		this.qos = (byte) qos;
		this.flags = retain ? RETAIN : 0;
		this.payload = payload;
		this.properties = properties;
	}

	public String topic() {
		return this.topic;
	}

	public int qos() {
		return this.qos;
	}

	public boolean retain() {
		return (this.flags & RETAIN) != 0;
	}

	/**
	 * In flight (or queued again) at a close that may have been a rejection: sent alone
	 * until acknowledged; {@code OutboundFlow} only.
	 */
	boolean isolated() {
		return (this.flags & ISOLATED) != 0;
	}

	void isolated(boolean isolated) {
		this.flags = (byte) (isolated ? (this.flags | ISOLATED) : (this.flags & ~ISOLATED));
	}

	/**
	 * In flight from an earlier connection and not yet sent again on this one: waiting
	 * for room under the server's Receive Maximum, or for its turn in isolation;
	 * {@code InflightList} only.
	 */
	boolean resendPending() {
		return (this.flags & RESEND_PENDING) != 0;
	}

	void resendPending(boolean pending) {
		this.flags = (byte) (pending ? (this.flags | RESEND_PENDING) : (this.flags & ~RESEND_PENDING));
	}

	/** Its PUBLISH properties, {@link PacketProperties#NONE} when it has none. */
	public PacketProperties properties() {
		return this.properties;
	}

	/** The payload, the array the application published (not a copy). */
	public byte[] payload() {
		return this.payload;
	}

	/**
	 * The future its publisher waits on. Completing or cancelling it changes nothing in
	 * the session: the message is still sent and its window slot given back as its flow
	 * ends.
	 */
	public CompletableFuture<Void> completion() {
		return this.completion;
	}

	/** The packet identifier, 0 while queued or for QoS 0. */
	public int packetId() {
		return this.packetId;
	}

	public State state() {
		return STATES[this.state];
	}

	/**
	 * Ties the message to a window slot its publisher took; the slot is given back when
	 * the message completes or fails.
	 * @param window the window
	 * @return this message
	 */
	public OutgoingMessage holding(InflightWindow window) {
		this.window = window;
		return this;
	}

	/** Done: releases the window slot, then completes. Only the session does this. */
	void succeed() {
		releaseSlot();
		this.completion.complete(null);
	}

	/**
	 * Failed: releases the window slot, then fails.
	 * @param cause why
	 */
	public void fail(Throwable cause) {
		releaseSlot();
		this.completion.completeExceptionally(cause);
	}

	private void releaseSlot() {
		InflightWindow held = this.window;
		if (held != null) {
			this.window = null;
			held.release();
		}
	}

	/**
	 * How many connections closed after its PUBLISH was sent and before its
	 * acknowledgement.
	 */
	public int closedBeforeAck() {
		return this.closedBeforeAck;
	}

	int countClosedBeforeAck() {
		if (this.closedBeforeAck < Byte.MAX_VALUE) {
			this.closedBeforeAck++;
		}
		return this.closedBeforeAck;
	}

	void assign(int packetId) {
		this.packetId = packetId;
		this.state = (byte) State.PUBLISHED.ordinal();
	}

	void released() {
		this.state = (byte) State.RELEASED.ordinal();
	}

	void requeue() {
		this.packetId = 0;
		this.state = (byte) State.QUEUED.ordinal();
	}

	/**
	 * The PUBLISH for this message as a record, its payload a buffer around the same
	 * array: for resends and for callers that want packets. The first send needs none
	 * (see {@link SessionOutput}).
	 */
	public Publish toPublish(boolean dup) {
		return new Publish(this.topic, this.qos, retain(), dup, this.packetId, Unpooled.wrappedBuffer(this.payload),
				this.properties);
	}

	/**
	 * The packet this message stands for in a session's output, as a record: its first
	 * PUBLISH until released, then its PUBREL.
	 */
	public Packet nextPacket() {
		return (this.state == State.RELEASED.ordinal()) ? new PubRel(this.packetId) : toPublish(false);
	}

	@Override
	public String toString() {
		return "OutgoingMessage[topic=" + this.topic + ", qos=" + this.qos + ", packetId=" + this.packetId + ", state="
				+ state() + "]";
	}

}
