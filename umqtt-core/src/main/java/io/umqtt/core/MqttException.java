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

	public MqttException(String message) {
		this(message, NO_CODE, null);
	}

	public MqttException(String message, Throwable cause) {
		this(message, NO_CODE, cause);
	}

	public MqttException(String message, int returnCode, Throwable cause) {
		super(message, cause);
		this.returnCode = returnCode;
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

	/** The CONNACK or SUBACK return code, or {@link #NO_CODE}. */
	public int returnCode() {
		return this.returnCode;
	}

}
