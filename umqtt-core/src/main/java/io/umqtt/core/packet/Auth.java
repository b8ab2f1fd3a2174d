package io.umqtt.core.packet;

import java.util.Objects;

import io.umqtt.core.ReasonCode;

/**
 * AUTH, both ways, MQTT 5 only: a step of enhanced authentication, on connect or to
 * re-authenticate.
 *
 * @param reasonCode 0x00 Success, 0x18 Continue authentication or 0x19 Re-authenticate
 * [MQTT-3.15.2.1]
 * @param properties authentication method and data, reason string, user properties
 */
public record Auth(int reasonCode, PacketProperties properties) implements Packet {

	public Auth {
		if (!ReasonCode.allowed(15, reasonCode)) {
			throw new IllegalArgumentException(
					"AUTH reason code " + ReasonCode.hex(reasonCode) + " must be 0x00, 0x18 or 0x19 [MQTT-3.15.2.1]");
		}
		Objects.requireNonNull(properties, "properties");
	}

	@Override
	public int type() {
		return 15;
	}

}
