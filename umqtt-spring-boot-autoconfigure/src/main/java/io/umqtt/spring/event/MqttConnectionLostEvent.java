package io.umqtt.spring.event;

import io.umqtt.core.MqttClient;

/**
 * A client's connection ended other than by disconnecting.
 */
public class MqttConnectionLostEvent extends MqttClientEvent {

	private static final long serialVersionUID = 1L;

	private final String reason;

	public MqttConnectionLostEvent(MqttClient client, String clientName, String reason) {
		super(client, clientName);
		this.reason = reason;
	}

	/** What happened. */
	public String getReason() {
		return this.reason;
	}

}
