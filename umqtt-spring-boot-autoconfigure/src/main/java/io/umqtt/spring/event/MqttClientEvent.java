package io.umqtt.spring.event;

import io.umqtt.core.MqttClient;

import org.springframework.context.ApplicationEvent;

/**
 * Something happened to a configured MQTT client; the source is the {@link MqttClient}.
 */
public abstract class MqttClientEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final String clientName;

	protected MqttClientEvent(MqttClient client, String clientName) {
		super(client);
		this.clientName = clientName;
	}

	/** The client. */
	public MqttClient getClient() {
		return (MqttClient) getSource();
	}

	/** The client's configured name ({@code default} for the primary one). */
	public String getClientName() {
		return this.clientName;
	}

}
