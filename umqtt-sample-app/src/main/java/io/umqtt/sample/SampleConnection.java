package io.umqtt.sample;

import io.umqtt.core.MqttClient;

/**
 * The application's MQTT connection: its client, the MQTT version it speaks and whether
 * the broker is the embedded one.
 */
public class SampleConnection {

	private final MqttClient client;

	private final int version;

	private final boolean embeddedBroker;

	public SampleConnection(MqttClient client, int version, boolean embeddedBroker) {
		this.client = client;
		this.version = version;
		this.embeddedBroker = embeddedBroker;
	}

	/** The MQTT version of the application's connection: 3, 4 or 5. */
	public int version() {
		return this.version;
	}

	/** The connection now. */
	public ConnectionView view() {
		return ConnectionView.of(this.client, this.version, this.embeddedBroker);
	}

}
