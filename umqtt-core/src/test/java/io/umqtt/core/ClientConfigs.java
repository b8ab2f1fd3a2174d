package io.umqtt.core;

import io.umqtt.core.connection.ClientConfig;

/** What a builder makes, for tests of the internal packages. */
public final class ClientConfigs {

	private ClientConfigs() {
	}

	public static ClientConfig of(MqttClient.Builder builder) {
		return builder.config();
	}

}
