package io.umqtt.core.packet;

/**
 * PUBCOMP, the last acknowledgement of a QoS 2 PUBLISH.
 *
 * @param packetId packet identifier, 1 to 65,535
 */
public record PubComp(int packetId) implements Packet {

	public PubComp {
		PacketIds.check(packetId);
	}

	@Override
	public int type() {
		return 7;
	}

}
