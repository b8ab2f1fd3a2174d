package io.umqtt.core.session;

import org.jspecify.annotations.Nullable;

/**
 * The session's outgoing messages in flight: by packet id, in the order first sent (an
 * intrusive list through the messages) except that a QoS 2 message moves to the end when
 * its PUBREC arrives, so the released ones are in the order of their PUBRECs, and which
 * of them, in flight from an earlier connection, still wait to go again on this one.
 * Confined to the session's thread; {@link OutboundFlow} is its only user.
 */
final class InflightList {

	private final InflightTable byId = new InflightTable();

	private @Nullable OutgoingMessage oldest;

	private @Nullable OutgoingMessage newest;

	private int count;

	/** Messages marked {@link OutgoingMessage#resendPending}. */
	private int pendingResends;

	@Nullable OutgoingMessage get(int packetId) {
		return this.byId.get(packetId);
	}

	/**
	 * The message first sent of those in flight; the rest follow through {@code next}.
	 */
	@Nullable OutgoingMessage oldest() {
		return this.oldest;
	}

	int count() {
		return this.count;
	}

	int pendingResends() {
		return this.pendingResends;
	}

	/**
	 * In flight and on this connection's wire: all of them but those waiting to be
	 * resent.
	 */
	int onWire() {
		return this.count - this.pendingResends;
	}

	/** Marks a message in flight as not yet sent again on this connection. */
	void awaitResend(OutgoingMessage message) {
		if (!message.resendPending()) {
			message.resendPending(true);
			this.pendingResends++;
		}
	}

	/**
	 * A message is on this connection's wire again (resent, its PUBREL sent) or done
	 * with.
	 */
	void sentAgain(OutgoingMessage message) {
		if (message.resendPending()) {
			message.resendPending(false);
			this.pendingResends--;
		}
	}

	/** Adds a message as the newest in flight. */
	void link(OutgoingMessage message) {
		this.byId.put(message.packetId(), message);
		message.previous = this.newest;
		message.next = null;
		if (this.newest != null) {
			this.newest.next = message;
		}
		else {
			this.oldest = message;
		}
		this.newest = message;
		this.count++;
	}

	/**
	 * Moves a message in flight to the end, behind every other one; its PUBREC arrived.
	 */
	void moveToNewest(OutgoingMessage message) {
		if (message == this.newest) {
			return;
		}
		if (message.previous != null) {
			message.previous.next = message.next;
		}
		else {
			this.oldest = message.next;
		}
		// not the newest, so it has a next
		message.next.previous = message.previous;
		message.previous = this.newest;
		message.next = null;
		this.newest.next = message;
		this.newest = message;
	}

	/** Takes a message out of flight: acknowledged, failed or queued again. */
	void unlink(OutgoingMessage message) {
		this.byId.remove(message.packetId());
		sentAgain(message);
		if (message.previous != null) {
			message.previous.next = message.next;
		}
		else {
			this.oldest = message.next;
		}
		if (message.next != null) {
			message.next.previous = message.previous;
		}
		else {
			this.newest = message.previous;
		}
		message.previous = null;
		message.next = null;
		this.count--;
	}

}
