package io.umqtt.core.packet;

import java.util.Objects;

import io.umqtt.core.ReasonCode;

/**
 * PUBACK, the acknowledgement of a QoS 1 PUBLISH.
 *
 * @param packetId packet identifier, 1 to 65,535
 * @param reasonCode the MQTT 5 reason code: 0x00 Success, 0x10 No matching subscribers,
 * 0x80 and above a failure; always 0 on 3.1.1
 * @param properties the MQTT 5 properties (reason string, user properties);
 * {@link PacketProperties#NONE} on 3.1.1
 */
public record PubAck(int packetId, int reasonCode, PacketProperties properties) implements Packet {

	public PubAck {
		PacketIds.check(packetId);
		if (reasonCode != ReasonCode.SUCCESS && !ReasonCode.allowed(4, reasonCode)) {
			throw new IllegalArgumentException(
					"PUBACK reason code " + ReasonCode.hex(reasonCode) + " is not one of MQTT 5's");
		}
		Objects.requireNonNull(properties, "properties");
	}

	/** A successful PUBACK without properties, all that MQTT 3.1.1 has. */
	public PubAck(int packetId) {
		this(packetId, ReasonCode.SUCCESS, PacketProperties.NONE);
	}

	@Override
	public int type() {
		return 4;
	}

	/** As on 3.1.1 ({@code PubAck[packetId=7]}) when the MQTT 5 fields hold nothing. */
	@Override
	public String toString() {
		return "PubAck[packetId=" + this.packetId + ((this.reasonCode == 0 && this.properties.isEmpty()) ? ""
				: ", reasonCode=" + ReasonCode.hex(this.reasonCode) + ", " + this.properties) + "]";
	}

}
