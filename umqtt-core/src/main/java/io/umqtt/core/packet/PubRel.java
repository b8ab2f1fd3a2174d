package io.umqtt.core.packet;

/**
 * PUBREL, the release of a QoS 2 PUBLISH after PUBREC.
 *
 * @param packetId packet identifier, 1 to 65,535
 */
public record PubRel(int packetId) implements Packet {

	public PubRel {
		PacketIds.check(packetId);
	}

	@Override
	public int type() {
		return 6;
	}

}
