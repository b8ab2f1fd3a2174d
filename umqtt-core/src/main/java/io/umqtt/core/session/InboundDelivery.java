package io.umqtt.core.session;

import io.umqtt.core.packet.Publish;

/**
 * A received PUBLISH the {@link Session} wants delivered to the application (as a
 * {@link SessionOutput}: hand it to the application). Once the application has handled
 * it, {@link Session#onDelivered(InboundDelivery, java.util.List)} says which
 * acknowledgements can go out.
 */
public final class InboundDelivery implements SessionOutput {

	private final Publish publish;

	private final long epoch;

	private boolean done;

	private volatile boolean unhandled;

	InboundDelivery(Publish publish, long epoch) {
		this.publish = publish;
		this.epoch = epoch;
	}

	/** The message; its payload is released by whoever finishes with it. */
	public Publish publish() {
		return this.publish;
	}

	long epoch() {
		return this.epoch;
	}

	/**
	 * Nobody could handle the message and it must not be acknowledged: the broker keeps
	 * it and sends it again on the next connection. Set before the delivery is handed
	 * back.
	 */
	public void markUnhandled() {
		this.unhandled = true;
	}

	/** Whether {@link #markUnhandled()} was called. */
	public boolean isUnhandled() {
		return this.unhandled;
	}

	boolean isDone() {
		return this.done;
	}

	void markDone() {
		this.done = true;
	}

	@Override
	public String toString() {
		return "InboundDelivery[" + this.publish + "]";
	}

}
