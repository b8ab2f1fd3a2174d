package io.umqtt.spring.boot.autoconfigure;

import java.util.List;

import io.umqtt.core.MqttClient;

/**
 * The MQTT 5 connection keys of one client's properties: refused with
 * {@link Mqtt5PropertyException} when set on version 3 or 4, and handed to the builder's
 * MQTT 5 setters on version 5.
 */
final class Mqtt5ConnectSettings {

	private Mqtt5ConnectSettings() {
	}

	/**
	 * Refuses MQTT 5 keys set for a client on version 3 or 4.
	 * @param prefix the client's prefix, {@code umqtt} or {@code umqtt.clients.<name>}
	 * @param settings the client's properties
	 * @throws Mqtt5PropertyException naming the keys and the version key to set
	 */
	static void check(String prefix, MqttClientProperties settings) {
		List<String> keys = settings.mqtt5KeysSet();
		if (settings.getVersion() != 5 && !keys.isEmpty()) {
			throw new Mqtt5PropertyException(prefix, keys, settings.getVersion());
		}
	}

	/**
	 * Hands the MQTT 5 keys to {@code builder} when the client is on version 5; does
	 * nothing otherwise.
	 * @param settings the client's properties, already {@linkplain #check checked}
	 * @param builder the client's builder
	 */
	static void apply(MqttClientProperties settings, MqttClient.Builder builder) {
		if (settings.getVersion() != 5) {
			return;
		}
		builder.sessionExpiry(settings.getSessionExpiry())
			.receiveMaximum(settings.getReceiveMaximum())
			.topicAliasMaximum(settings.getTopicAliasMaximum())
			.topicAliases(settings.isTopicAliases())
			.requestResponseInformation(settings.isRequestResponseInformation());
		settings.getUserProperties().forEach(builder::userProperty);
	}

}
