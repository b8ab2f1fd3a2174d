package io.umqtt.core.packet;

import java.util.Objects;

/**
 * CONNACK, server to client.
 *
 * @param sessionPresent whether the server resumed a stored session
 * @param returnCode 0 accepted; 1 to 5 refused (3.1.1); on MQTT 5 the reason code, 0x80
 * and above refused
 * @param properties the MQTT 5 properties: what the server allows;
 * {@link PacketProperties#NONE} on 3.1.1
 */
public record ConnAck(boolean sessionPresent, int returnCode, PacketProperties properties) implements Packet {

	public ConnAck {
		if (returnCode < 0 || returnCode > 255) {
			throw new IllegalArgumentException("CONNACK return code is one byte, was " + returnCode);
		}
		Objects.requireNonNull(properties, "properties");
	}

	/** A CONNACK without properties, as MQTT 3.1 and 3.1.1 send it. */
	public ConnAck(boolean sessionPresent, int returnCode) {
		this(sessionPresent, returnCode, PacketProperties.NONE);
	}

	/** The MQTT 5 name of what {@link #returnCode()} holds there. */
	public int reasonCode() {
		return this.returnCode;
	}

	/** Whether the connection was accepted. */
	public boolean accepted() {
		return this.returnCode == 0;
	}

	/**
	 * What a CONNACK return code means [MQTT-3.2.2.3].
	 * @param returnCode the code
	 * @return its meaning
	 */
	public static String describe(int returnCode) {
		return switch (returnCode) {
			case 0 -> "Connection accepted";
			case 1 -> "Connection refused: unacceptable protocol version";
			case 2 -> "Connection refused: identifier rejected";
			case 3 -> "Connection refused: server unavailable";
			case 4 -> "Connection refused: bad user name or password";
			case 5 -> "Connection refused: not authorized";
			default -> "Connection refused: unknown return code " + returnCode;
		};
	}

	@Override
	public int type() {
		return 2;
	}

	/** As on 3.1.1 when there are no properties. */
	@Override
	public String toString() {
		return "ConnAck[sessionPresent=" + this.sessionPresent + ", returnCode=" + this.returnCode
				+ (this.properties.isEmpty() ? "" : ", " + this.properties) + "]";
	}

}
