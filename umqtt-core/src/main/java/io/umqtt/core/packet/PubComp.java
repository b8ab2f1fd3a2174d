package io.umqtt.core.packet;

import java.util.Objects;

import io.umqtt.core.ReasonCode;

/**
 * PUBCOMP, the last acknowledgement of a QoS 2 PUBLISH.
 *
 * @param packetId packet identifier, 1 to 65,535
 * @param reasonCode the MQTT 5 reason code: 0x00 Success or 0x92 Packet Identifier not
 * found; always 0 on 3.1.1
 * @param properties the MQTT 5 properties (reason string, user properties);
 * {@link PacketProperties#NONE} on 3.1.1
 */
public record PubComp(int packetId, int reasonCode, PacketProperties properties) implements Packet {

	public PubComp {
		PacketIds.check(packetId);
		if (reasonCode != ReasonCode.SUCCESS && !ReasonCode.allowed(7, reasonCode)) {
			throw new IllegalArgumentException(
					"PUBCOMP reason code " + ReasonCode.hex(reasonCode) + " is not one of MQTT 5's");
		}
		Objects.requireNonNull(properties, "properties");
	}

	/** A successful PUBCOMP without properties, all that MQTT 3.1.1 has. */
	public PubComp(int packetId) {
		this(packetId, ReasonCode.SUCCESS, PacketProperties.NONE);
	}

	@Override
	public int type() {
		return 7;
	}

	/** As on 3.1.1 ({@code PubComp[packetId=7]}) when the MQTT 5 fields hold nothing. */
	@Override
	public String toString() {
		return "PubComp[packetId=" + this.packetId + ((this.reasonCode == 0 && this.properties.isEmpty()) ? ""
				: ", reasonCode=" + ReasonCode.hex(this.reasonCode) + ", " + this.properties) + "]";
	}

}
