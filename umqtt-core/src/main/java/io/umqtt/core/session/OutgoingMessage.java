package io.umqtt.core.session;

import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;
import io.umqtt.core.packet.Publish;

/**
 * A message the application publishes, tracked by the {@link Session} from the moment it is
 * handed over until it is acknowledged (PUBACK for QoS 1, PUBCOMP for QoS 2) or fails.
 * <p>
 * The session owns {@code payload} and releases it when the message completes or fails; every
 * PUBLISH it sends carries a retained duplicate, so the bytes stay for a resend.
 */
public final class OutgoingMessage {

	/** Where a QoS 1 or 2 message is in its flow. */
	public enum State {

		/** Waiting for room in the window or for a connection; no packet id yet. */
		QUEUED,

		/** PUBLISH sent, waiting for PUBACK (QoS 1) or PUBREC (QoS 2). */
		PUBLISHED,

		/** PUBREC received and PUBREL sent, waiting for PUBCOMP (QoS 2 only). */
		RELEASED

	}

	private final String topic;

	private final int qos;

	private final boolean retain;

	private final ByteBuf payload;

	private final CompletableFuture<Void> completion;

	private int packetId;

	private State state = State.QUEUED;

	/** The window slot this message holds, given back when it completes or fails; may be null. */
	private InflightWindow window;

	/** Neighbours in the session's send order while in flight. */
	OutgoingMessage previous;

	OutgoingMessage next;

	/**
	 * @param topic a valid topic name
	 * @param qos 0, 1 or 2
	 * @param retain the retain flag
	 * @param payload the message; ownership passes to the session
	 * @param completion completed when the message is delivered to the broker as its QoS
	 * promises, or failed
	 */
	public OutgoingMessage(String topic, int qos, boolean retain, ByteBuf payload,
			CompletableFuture<Void> completion) {
		this.topic = topic;
		this.qos = qos;
		this.retain = retain;
		this.payload = payload;
		this.completion = completion;
	}

	public String topic() {
		return this.topic;
	}

	public int qos() {
		return this.qos;
	}

	public boolean retain() {
		return this.retain;
	}

	public ByteBuf payload() {
		return this.payload;
	}

	public CompletableFuture<Void> completion() {
		return this.completion;
	}

	/** The packet identifier, 0 while queued or for QoS 0. */
	public int packetId() {
		return this.packetId;
	}

	public State state() {
		return this.state;
	}

	/**
	 * Ties the message to a window slot its publisher took; the slot is given back when the
	 * message completes or fails.
	 * @param window the window
	 * @return this message
	 */
	public OutgoingMessage holding(InflightWindow window) {
		this.window = window;
		return this;
	}

	/** Done: releases the payload and the window slot, then completes. */
	public void succeed() {
		this.payload.release();
		releaseSlot();
		this.completion.complete(null);
	}

	/** Failed: releases the payload and the window slot, then fails. */
	public void fail(Throwable cause) {
		this.payload.release();
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

	void assign(int packetId) {
		this.packetId = packetId;
		this.state = State.PUBLISHED;
	}

	void released() {
		this.state = State.RELEASED;
	}

	void requeue() {
		this.packetId = 0;
		this.state = State.QUEUED;
	}

	/**
	 * The PUBLISH for this message, holding one more reference to the payload: the encoder
	 * releases it and never moves the payload's reader index, so no duplicate is needed.
	 */
	Publish toPublish(boolean dup) {
		return new Publish(this.topic, this.qos, this.retain, dup, this.packetId, this.payload.retain());
	}

	@Override
	public String toString() {
		return "OutgoingMessage[topic=" + this.topic + ", qos=" + this.qos + ", packetId=" + this.packetId + ", state="
				+ this.state + "]";
	}

}
