package io.umqtt.core.packet;

/**
 * Packet identifier rules.
 */
public final class PacketIds {

	/** The highest packet identifier. */
	public static final int MAX = 65_535;

	private PacketIds() {
	}

	/**
	 * Checks a packet identifier: 1 to 65,535, never 0 [MQTT-2.3.1-1].
	 * @param packetId the identifier
	 * @return the identifier
	 * @throws IllegalArgumentException when out of range
	 */
	public static int check(int packetId) {
		if (packetId < 1 || packetId > MAX) {
			throw new IllegalArgumentException("Packet identifier must be 1..65535 [MQTT-2.3.1-1], was " + packetId);
		}
		return packetId;
	}

}
