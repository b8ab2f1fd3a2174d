package io.umqtt.core;

import io.umqtt.core.packet.ConnAck;

/**
 * A connect, subscribe or other MQTT operation that failed. For a connection refused by
 * the broker, {@link #returnCode()} is the CONNACK return code (1 to 5); for a refused
 * subscription it is {@code 0x80}; otherwise it is -1 and {@link #getCause()} says why.
 */
public class MqttException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** The return code of a failure that has none. */
	public static final int NO_CODE = -1;

	private final int returnCode;

	private final int reasonCode;

	public MqttException(String message) {
		this(message, NO_CODE, null);
	}

	public MqttException(String message, Throwable cause) {
		this(message, NO_CODE, cause);
	}

	public MqttException(String message, int returnCode, Throwable cause) {
		this(message, returnCode, returnCode, cause);
	}

	/**
	 * An exception with an MQTT 5 reason code.
	 * @param message what failed
	 * @param returnCode the CONNACK or SUBACK code, or {@link #NO_CODE}
	 * @param reasonCode the reason code of the packet that said no, or {@link #NO_CODE}
	 * @param cause the cause, or {@code null}
	 */
	public MqttException(String message, int returnCode, int reasonCode, Throwable cause) {
		super(message, cause);
		this.returnCode = returnCode;
		this.reasonCode = reasonCode;
	}

	/**
	 * A connection the broker refused.
	 * @param returnCode the CONNACK return code
	 * @return the exception, its message saying what the code means
	 */
	public static MqttException refused(int returnCode) {
		return new MqttException(ConnAck.describe(returnCode) + " (CONNACK return code " + returnCode + ")", returnCode,
				null);
	}

	/**
	 * A connection an MQTT 5 server refused.
	 * @param reasonCode the CONNACK reason code, 0x80 or more
	 * @param reasonString the server's Reason String, or {@code null}
	 * @return the exception, its message naming the code and carrying the reason string
	 */
	public static MqttException refused5(int reasonCode, String reasonString) {
		return new MqttException("Connection refused: " + ReasonCode.describe(reasonCode, 2)
				+ ((reasonString != null) ? ": " + reasonString : ""), reasonCode, reasonCode, null);
	}

	/**
	 * The reason code of the CONNACK, SUBACK, UNSUBACK, PUBACK, PUBREC or DISCONNECT that
	 * made this failure (on 3.1.1 the CONNACK or SUBACK return code), or
	 * {@link #NO_CODE}.
	 */
	public int reasonCode() {
		return this.reasonCode;
	}

	/** The CONNACK or SUBACK return code, or {@link #NO_CODE}. */
	public int returnCode() {
		return this.returnCode;
	}

}
