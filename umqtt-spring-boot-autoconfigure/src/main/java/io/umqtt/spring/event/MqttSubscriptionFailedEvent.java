package io.umqtt.spring.event;

import io.umqtt.core.MqttClient;

/**
 * A subscription was refused by the broker or could not be made.
 */
public class MqttSubscriptionFailedEvent extends MqttClientEvent {

	private static final long serialVersionUID = 1L;

	private final String filter;

	private final String reason;

	public MqttSubscriptionFailedEvent(MqttClient client, String clientName, String filter, String reason) {
		super(client, clientName);
		this.filter = filter;
		this.reason = reason;
	}

	/** The topic filter. */
	public String getFilter() {
		return this.filter;
	}

	/** Why it failed. */
	public String getReason() {
		return this.reason;
	}

}
