package io.umqtt.core.packet;

import java.util.List;

/**
 * SUBACK, server to client: one return code per filter of the SUBSCRIBE, in order.
 *
 * @param packetId the SUBSCRIBE's packet identifier
 * @param returnCodes granted QoS 0, 1 or 2, or {@link #FAILURE} per filter
 */
public record SubAck(int packetId, List<Integer> returnCodes) implements Packet {

	/** The return code of a refused subscription. */
	public static final int FAILURE = 0x80;

	public SubAck {
		PacketIds.check(packetId);
		returnCodes = List.copyOf(returnCodes);
		for (int code : returnCodes) {
			if (code != FAILURE && (code < 0 || code > 2)) {
				throw new IllegalArgumentException("SUBACK return code must be 0, 1, 2 or 0x80 [MQTT-3.9.3-2], was "
						+ code);
			}
		}
	}

	@Override
	public int type() {
		return 9;
	}

}
