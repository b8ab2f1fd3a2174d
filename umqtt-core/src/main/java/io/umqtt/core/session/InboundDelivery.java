package io.umqtt.core.session;

import io.umqtt.core.packet.Publish;

/**
 * A received PUBLISH the {@link Session} wants delivered to the application. Once the
 * application has handled it, {@link Session#onDelivered(InboundDelivery)} says which
 * acknowledgements can go out.
 */
public final class InboundDelivery {

	private final Publish publish;

	private final long epoch;

	private boolean done;

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
