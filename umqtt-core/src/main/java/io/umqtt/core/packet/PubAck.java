package io.umqtt.core.packet;

/**
 * PUBACK, the acknowledgement of a QoS 1 PUBLISH.
 *
 * @param packetId packet identifier, 1 to 65,535
 */
public record PubAck(int packetId) implements Packet {

	public PubAck {
		PacketIds.check(packetId);
	}

	@Override
	public int type() {
		return 4;
	}

}
