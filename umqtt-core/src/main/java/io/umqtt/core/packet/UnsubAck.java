package io.umqtt.core.packet;

/**
 * UNSUBACK, server to client.
 *
 * @param packetId packet identifier, 1 to 65,535
 */
public record UnsubAck(int packetId) implements Packet {

	public UnsubAck {
		PacketIds.check(packetId);
	}

	@Override
	public int type() {
		return 11;
	}

}
