package io.umqtt.core.client;

import java.io.UncheckedIOException;

import io.umqtt.core.session.SessionStore;

/**
 * A session store that keeps nothing and fails on command, as a full disk would: while
 * {@link #failing} is set, every write throws
 * {@code UncheckedIOException("No space left on
 * device")}.
 */
final class FailingStore implements SessionStore {

	volatile boolean failing;

	volatile boolean failLoad;

	private void write() {
		if (this.failing) {
			throw new UncheckedIOException(new java.io.IOException("No space left on device"));
		}
	}

	@Override
	public void outgoingSent(int packetId, String topic, int qos, boolean retain, byte[] payload) {
		write();
	}

	@Override
	public void outgoingReleased(int packetId) {
		write();
	}

	@Override
	public void outgoingDone(int packetId) {
		write();
	}

	@Override
	public void incomingReceived(int packetId) {
		write();
	}

	@Override
	public void incomingDelivered(int packetId) {
		write();
	}

	@Override
	public void incomingReleased(int packetId) {
		write();
	}

	@Override
	public State load() {
		if (this.failLoad) {
			throw new UncheckedIOException(new java.io.IOException("Input/output error"));
		}
		return State.EMPTY;
	}

}
