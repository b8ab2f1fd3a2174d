package io.umqtt.core.session;

import io.umqtt.core.packet.PacketIds;

/**
 * Packet identifiers 1 to 65,535: handed out in rising order from where the last one was
 * taken, wrapping from 65,535 to 1, never 0 and never one still in use [MQTT-2.3.1-2].
 * <p>
 * Not thread-safe: confined to the connection's event loop, like the {@link Session} that
 * owns it.
 */
public final class PacketIdPool {

	/**
	 * One bit per identifier, grown to cover the highest one used: a client that
	 * publishes little keeps it small. (A plain array: {@code BitSet} rescans its words
	 * on every clear.)
	 */
	private long[] inUse = new long[1];

	private int last;

	private int count;

	/**
	 * Takes the next free identifier.
	 * @return an identifier from 1 to 65,535
	 * @throws IllegalStateException when all 65,535 are in use
	 */
	public int acquire() {
		if (this.count == PacketIds.MAX) {
			throw new IllegalStateException("All 65535 packet identifiers are in use");
		}
		int candidate = this.last;
		do {
			candidate = (candidate == PacketIds.MAX) ? 1 : candidate + 1;
		}
		while (get(candidate));
		set(candidate);
		this.last = candidate;
		this.count++;
		return candidate;
	}

	/**
	 * Marks an identifier as in use, for state restored from a store.
	 * @param packetId the identifier
	 * @throws IllegalStateException when it is already in use
	 */
	public void claim(int packetId) {
		PacketIds.check(packetId);
		if (get(packetId)) {
			throw new IllegalStateException("Packet identifier " + packetId + " is already in use");
		}
		set(packetId);
		this.count++;
	}

	/**
	 * Gives an identifier back.
	 * @param packetId the identifier
	 * @return whether it was in use
	 */
	public boolean release(int packetId) {
		if (packetId < 1 || packetId > PacketIds.MAX || !get(packetId)) {
			return false;
		}
		this.inUse[packetId >>> 6] &= ~(1L << packetId);
		this.count--;
		return true;
	}

	/** Whether {@code packetId} is in use. */
	public boolean isInUse(int packetId) {
		return packetId >= 1 && packetId <= PacketIds.MAX && get(packetId);
	}

	private boolean get(int packetId) {
		int word = packetId >>> 6;
		return word < this.inUse.length && (this.inUse[word] & (1L << packetId)) != 0;
	}

	private void set(int packetId) {
		int word = packetId >>> 6;
		if (word >= this.inUse.length) {
			this.inUse = java.util.Arrays.copyOf(this.inUse, Math.max(word + 1, this.inUse.length * 2));
		}
		this.inUse[word] |= 1L << packetId;
	}

	/** How many identifiers are in use. */
	public int inUse() {
		return this.count;
	}

}
