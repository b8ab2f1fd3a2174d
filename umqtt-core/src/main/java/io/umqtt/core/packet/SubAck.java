package io.umqtt.core.packet;

import java.util.List;
import java.util.Objects;

import io.umqtt.core.ReasonCode;

/**
 * SUBACK, server to client: one return code per filter of the SUBSCRIBE, in order.
 *
 * @param packetId the SUBSCRIBE's packet identifier
 * @param returnCodes granted QoS 0, 1 or 2, or {@link #FAILURE} per filter (3.1.1); on
 * MQTT 5 the reason codes, granted QoS or 0x80 and above for a refusal
 * @param properties the MQTT 5 properties (reason string, user properties);
 * {@link PacketProperties#NONE} on 3.1.1
 */
public record SubAck(int packetId, List<Integer> returnCodes, PacketProperties properties) implements Packet {

	/** The return code of a refused subscription. */
	public static final int FAILURE = 0x80;

	public SubAck {
		PacketIds.check(packetId);
		returnCodes = List.copyOf(returnCodes);
		for (int code : returnCodes) {
			if (!ReasonCode.allowed(9, code)) {
				throw new IllegalArgumentException(
						"SUBACK reason code " + ReasonCode.hex(code) + " is not one of MQTT 5's [MQTT-3.9.3]");
			}
		}
		Objects.requireNonNull(properties, "properties");
	}

	/**
	 * A SUBACK as MQTT 3.1.1 has it: no properties, return codes 0, 1, 2 or 0x80.
	 * @param packetId the SUBSCRIBE's packet identifier
	 * @param returnCodes granted QoS 0, 1 or 2, or {@link #FAILURE} per filter
	 */
	public SubAck(int packetId, List<Integer> returnCodes) {
		this(packetId, checkReturnCodes(returnCodes), PacketProperties.NONE);
	}

	private static List<Integer> checkReturnCodes(List<Integer> returnCodes) {
		for (int code : returnCodes) {
			if (code != FAILURE && (code < 0 || code > 2)) {
				throw new IllegalArgumentException(
						"SUBACK return code must be 0, 1, 2 or 0x80 [MQTT-3.9.3-2], was " + code);
			}
		}
		return returnCodes;
	}

	@Override
	public int type() {
		return 9;
	}

	/** As on 3.1.1 when there are no properties. */
	@Override
	public String toString() {
		return "SubAck[packetId=" + this.packetId + ", returnCodes=" + this.returnCodes
				+ (this.properties.isEmpty() ? "" : ", " + this.properties) + "]";
	}

}
