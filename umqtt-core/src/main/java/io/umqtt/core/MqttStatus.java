package io.umqtt.core;

/**
 * The connection status {@link MqttClient#getMqttsta()} reports as a number.
 */
public enum MqttStatus {

	/** CONNACK accepted and the channel open. */
	CONNECTED(0),

	/** TCP, TLS or CONNECT in progress, or waiting to reconnect. */
	CONNECTING(1),

	/** The server closed the connection and the client is not reconnecting (yet). */
	SERVER_CLOSED(2),

	/**
	 * An error ended the connection, the client was closed, or {@code disconnect()} was
	 * called.
	 */
	ERROR(-1);

	private final int code;

	MqttStatus(int code) {
		this.code = code;
	}

	/** The number {@code get_mqttsta()} returns for this status: 0, 1, 2 or -1. */
	public int code() {
		return this.code;
	}

}
