package io.umqtt.spring.event;

import io.umqtt.core.MqttClient;

/**
 * A client connected: the first time, or again after losing its connection.
 */
public class MqttConnectedEvent extends MqttClientEvent {

	private static final long serialVersionUID = 1L;

	private final boolean sessionPresent;

	private final boolean reconnect;

	public MqttConnectedEvent(MqttClient client, String clientName, boolean sessionPresent, boolean reconnect) {
		super(client, clientName);
		this.sessionPresent = sessionPresent;
		this.reconnect = reconnect;
	}

	/** Whether the broker resumed a stored session. */
	public boolean isSessionPresent() {
		return this.sessionPresent;
	}

	/** Whether this is a reconnection after a lost connection. */
	public boolean isReconnect() {
		return this.reconnect;
	}

}
