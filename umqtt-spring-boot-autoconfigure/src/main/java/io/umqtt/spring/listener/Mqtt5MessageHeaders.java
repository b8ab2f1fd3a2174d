package io.umqtt.spring.listener;

import java.util.Map;

import io.umqtt.core.MqttProperties;
import io.umqtt.core.UserProperty;
import io.umqtt.spring.MqttHeaders;

import org.springframework.messaging.MessageHeaders;

/**
 * The headers a received message's MQTT 5 properties make: each present property as its
 * {@link MqttHeaders} constant, the content type also as Spring's
 * {@link MessageHeaders#CONTENT_TYPE}, and each user property as a header of its own name
 * holding its first value, unless the message already has a header of that name (the MQTT
 * headers, {@code contentType}, {@code id}, {@code timestamp}): those stay in
 * {@link MqttHeaders#USER_PROPERTIES} only.
 */
final class Mqtt5MessageHeaders {

	private Mqtt5MessageHeaders() {
	}

	/**
	 * Adds the headers of {@code properties} to {@code headers}, which holds the MQTT
	 * headers already.
	 */
	static void put(MqttProperties properties, Map<String, Object> headers) {
		if (properties.isEmpty()) {
			return;
		}
		if (properties.contentType() != null) {
			headers.put(MqttHeaders.CONTENT_TYPE, properties.contentType());
			headers.put(MessageHeaders.CONTENT_TYPE, properties.contentType());
		}
		putIfSet(headers, MqttHeaders.RESPONSE_TOPIC, properties.responseTopic());
		putIfSet(headers, MqttHeaders.CORRELATION_DATA, properties.correlationData());
		putIfSet(headers, MqttHeaders.MESSAGE_EXPIRY, properties.messageExpiry());
		if (properties.payloadFormatUtf8()) {
			headers.put(MqttHeaders.PAYLOAD_FORMAT_UTF8, true);
		}
		if (!properties.subscriptionIdentifiers().isEmpty()) {
			headers.put(MqttHeaders.SUBSCRIPTION_IDENTIFIERS, properties.subscriptionIdentifiers());
		}
		if (!properties.userProperties().isEmpty()) {
			headers.put(MqttHeaders.USER_PROPERTIES, properties.userProperties());
			for (UserProperty property : properties.userProperties()) {
				String name = property.name();
				if (!MessageHeaders.ID.equals(name) && !MessageHeaders.TIMESTAMP.equals(name)) {
					// the first value wins: a repeated name keeps what it had
					headers.putIfAbsent(name, property.value());
				}
			}
		}
	}

	private static void putIfSet(Map<String, Object> headers, String name, Object value) {
		if (value != null) {
			headers.put(name, value);
		}
	}

}
