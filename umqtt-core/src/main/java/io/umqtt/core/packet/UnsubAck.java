package io.umqtt.core.packet;

import java.util.List;
import java.util.Objects;

import io.umqtt.core.ReasonCode;

/**
 * UNSUBACK, server to client.
 *
 * @param packetId packet identifier, 1 to 65,535
 * @param reasonCodes the MQTT 5 reason codes, one per filter of the UNSUBSCRIBE in order;
 * empty on 3.1.1, which has none
 * @param properties the MQTT 5 properties (reason string, user properties);
 * {@link PacketProperties#NONE} on 3.1.1
 */
public record UnsubAck(int packetId, List<Integer> reasonCodes, PacketProperties properties) implements Packet {

	public UnsubAck {
		PacketIds.check(packetId);
		reasonCodes = List.copyOf(reasonCodes);
		for (int code : reasonCodes) {
			if (!ReasonCode.allowed(11, code)) {
				throw new IllegalArgumentException(
						"UNSUBACK reason code " + ReasonCode.hex(code) + " is not one of MQTT 5's [MQTT-3.11.3]");
			}
		}
		Objects.requireNonNull(properties, "properties");
	}

	/** An UNSUBACK as MQTT 3.1.1 has it: the packet identifier alone. */
	public UnsubAck(int packetId) {
		this(packetId, List.of(), PacketProperties.NONE);
	}

	@Override
	public int type() {
		return 11;
	}

	/** As on 3.1.1 when the MQTT 5 fields hold nothing. */
	@Override
	public String toString() {
		return "UnsubAck[packetId=" + this.packetId + ((this.reasonCodes.isEmpty() && this.properties.isEmpty()) ? ""
				: ", reasonCodes=" + this.reasonCodes + ", " + this.properties) + "]";
	}

}
