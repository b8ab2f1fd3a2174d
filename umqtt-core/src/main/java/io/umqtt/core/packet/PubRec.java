package io.umqtt.core.packet;

/**
 * PUBREC, the first acknowledgement of a QoS 2 PUBLISH.
 *
 * @param packetId packet identifier, 1 to 65,535
 */
public record PubRec(int packetId) implements Packet {

	public PubRec {
		PacketIds.check(packetId);
	}

	@Override
	public int type() {
		return 5;
	}

}
