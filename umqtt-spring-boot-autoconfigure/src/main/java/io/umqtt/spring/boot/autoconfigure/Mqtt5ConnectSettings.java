package io.umqtt.spring.boot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.umqtt.core.LastWill;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttProperties;

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

	/**
	 * The client's last will, with its MQTT 5 delay and properties on version 5.
	 * @param settings the client's properties, already {@linkplain #check checked}, with
	 * a will topic
	 * @return the will
	 */
	static LastWill lastWill(MqttClientProperties settings) {
		MqttClientProperties.LastWill will = settings.getLastWill();
		byte[] message = ((will.getMsg() != null) ? will.getMsg() : "").getBytes(StandardCharsets.UTF_8);
		if (settings.getVersion() != 5) {
			return new LastWill(will.getTopic(), message, will.isRetain(), will.getQos());
		}
		MqttProperties.Builder properties = MqttProperties.builder();
		if (will.getContentType() != null) {
			properties.contentType(will.getContentType());
		}
		if (will.getMessageExpiry() != null) {
			properties.messageExpiry(will.getMessageExpiry());
		}
		will.getUserProperties().forEach(properties::userProperty);
		Duration delay = (will.getDelay() != null) ? will.getDelay() : Duration.ZERO;
		return new LastWill(will.getTopic(), message, will.isRetain(), will.getQos(), delay, properties.build());
	}

}
