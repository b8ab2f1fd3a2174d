package io.umqtt.core.codec;

import io.umqtt.core.ReasonCode;

/**
 * Bytes that are not a well-formed MQTT packet, or a packet larger than allowed. The
 * message names the rule broken, citing the specification's clause where it has one. A
 * connection that reads one is closed [MQTT-4.8.0-1]; on MQTT 5 after a DISCONNECT with
 * {@link #reasonCode()} [MQTT-4.13.1-1].
 */
public class MalformedPacketException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int reasonCode;

	/**
	 * A malformed packet, MQTT 5 reason code 0x81.
	 * @param message the rule broken
	 */
	public MalformedPacketException(String message) {
		this(message, ReasonCode.MALFORMED_PACKET);
	}

	/**
	 * A packet that breaks a rule with a reason code of its own on MQTT 5: 0x82 Protocol
	 * Error, 0x94 Topic Alias invalid, 0x95 Packet too large.
	 * @param message the rule broken
	 * @param reasonCode the reason code of the DISCONNECT that answers it
	 */
	public MalformedPacketException(String message, int reasonCode) {
		super(message);
		this.reasonCode = reasonCode;
	}

	/**
	 * The MQTT 5 reason code a DISCONNECT answering this carries: 0x81 unless a rule says
	 * otherwise.
	 */
	public int reasonCode() {
		return this.reasonCode;
	}

}
