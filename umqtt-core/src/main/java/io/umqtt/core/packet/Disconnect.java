package io.umqtt.core.packet;

import java.util.Objects;

import io.umqtt.core.ReasonCode;

/**
 * DISCONNECT. On 3.1 and 3.1.1, client to server, a clean goodbye so the will is not
 * published; it has no variable header or payload: use {@link #INSTANCE}. On MQTT 5 both
 * ways, with a reason code and properties.
 *
 * @param reasonCode the MQTT 5 reason code: 0x00 Normal disconnection, 0x04 Disconnect
 * with Will Message, 0x80 and above an error; always 0 on 3.1.1
 * @param properties the MQTT 5 properties (session expiry, reason string, server
 * reference, user properties); {@link PacketProperties#NONE} on 3.1.1
 */
public record Disconnect(int reasonCode, PacketProperties properties) implements Packet {

	/** A normal disconnection without properties: all there is on 3.1.1. */
	public static final Disconnect INSTANCE = new Disconnect();

	public Disconnect {
		if (!ReasonCode.allowed(14, reasonCode)) {
			throw new IllegalArgumentException(
					"DISCONNECT reason code " + ReasonCode.hex(reasonCode) + " is not one of MQTT 5's [MQTT-3.14.2.1]");
		}
		Objects.requireNonNull(properties, "properties");
	}

	/** A normal disconnection without properties; {@link #INSTANCE} is one. */
	public Disconnect() {
		this(ReasonCode.SUCCESS, PacketProperties.NONE);
	}

	@Override
	public int type() {
		return 14;
	}

	/** {@code Disconnect[]} as on 3.1.1 for a normal disconnection without properties. */
	@Override
	public String toString() {
		return "Disconnect[" + ((this.reasonCode == 0 && this.properties.isEmpty()) ? ""
				: "reasonCode=" + ReasonCode.hex(this.reasonCode) + ", " + this.properties) + "]";
	}

}
