package io.umqtt.core.packet;

import java.util.Objects;

import io.umqtt.core.ReasonCode;

/**
 * PUBREL, the release of a QoS 2 PUBLISH after PUBREC.
 *
 * @param packetId packet identifier, 1 to 65,535
 * @param reasonCode the MQTT 5 reason code: 0x00 Success or 0x92 Packet Identifier not
 * found; always 0 on 3.1.1
 * @param properties the MQTT 5 properties (reason string, user properties);
 * {@link PacketProperties#NONE} on 3.1.1
 */
public record PubRel(int packetId, int reasonCode, PacketProperties properties) implements Packet {

	public PubRel {
		PacketIds.check(packetId);
		if (reasonCode != ReasonCode.SUCCESS && !ReasonCode.allowed(6, reasonCode)) {
			throw new IllegalArgumentException(
					"PUBREL reason code " + ReasonCode.hex(reasonCode) + " is not one of MQTT 5's");
		}
		Objects.requireNonNull(properties, "properties");
	}

	/** A successful PUBREL without properties, all that MQTT 3.1.1 has. */
	public PubRel(int packetId) {
		this(packetId, ReasonCode.SUCCESS, PacketProperties.NONE);
	}

	@Override
	public int type() {
		return 6;
	}

	/** As on 3.1.1 ({@code PubRel[packetId=7]}) when the MQTT 5 fields hold nothing. */
	@Override
	public String toString() {
		return "PubRel[packetId=" + this.packetId + ((this.reasonCode == 0 && this.properties.isEmpty()) ? ""
				: ", reasonCode=" + ReasonCode.hex(this.reasonCode) + ", " + this.properties) + "]";
	}

}
