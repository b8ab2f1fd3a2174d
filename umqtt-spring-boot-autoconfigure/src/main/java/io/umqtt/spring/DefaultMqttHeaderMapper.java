package io.umqtt.spring;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.umqtt.core.MqttProperties;
import io.umqtt.core.UserProperty;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;

/**
 * The standard {@link MqttHeaderMapper}: {@link MqttHeaders#CONTENT_TYPE}, or else
 * Spring's {@link MessageHeaders#CONTENT_TYPE} (which the message converter sets:
 * {@code application/json} for an object written as JSON, {@code text/plain} for a
 * {@code String}), {@link MqttHeaders#RESPONSE_TOPIC},
 * {@link MqttHeaders#CORRELATION_DATA}, {@link MqttHeaders#MESSAGE_EXPIRY},
 * {@link MqttHeaders#PAYLOAD_FORMAT_UTF8} and {@link MqttHeaders#USER_PROPERTIES}. Other
 * headers are not sent: a header becomes a user property only through
 * {@code USER_PROPERTIES}. A header of a type it does not take fails the send with a
 * {@link MessageConversionException} naming it.
 */
public class DefaultMqttHeaderMapper implements MqttHeaderMapper {

	@Override
	public MqttProperties.Builder fromHeaders(MessageHeaders headers) {
		MqttProperties.Builder properties = MqttProperties.builder();
		Object contentType = headers.get(MqttHeaders.CONTENT_TYPE);
		if (contentType == null) {
			contentType = headers.get(MessageHeaders.CONTENT_TYPE);
		}
		if (contentType != null) {
			// a String or a MimeType, whose toString() is its text form
			properties.contentType(contentType.toString());
		}
		Object responseTopic = headers.get(MqttHeaders.RESPONSE_TOPIC);
		if (responseTopic != null) {
			properties.responseTopic(responseTopic.toString());
		}
		Object correlationData = headers.get(MqttHeaders.CORRELATION_DATA);
		if (correlationData instanceof byte[] bytes) {
			properties.correlationData(bytes);
		}
		else if (correlationData instanceof String text) {
			properties.correlationData(text.getBytes(StandardCharsets.UTF_8));
		}
		else if (correlationData != null) {
			throw unsupported(MqttHeaders.CORRELATION_DATA, correlationData, "byte[] or String");
		}
		Object expiry = headers.get(MqttHeaders.MESSAGE_EXPIRY);
		if (expiry instanceof Duration duration) {
			properties.messageExpiry(duration);
		}
		else if (expiry instanceof Number seconds) {
			properties.messageExpiry(Duration.ofSeconds(seconds.longValue()));
		}
		else if (expiry != null) {
			throw unsupported(MqttHeaders.MESSAGE_EXPIRY, expiry, "Duration or a Number of seconds");
		}
		if (Boolean.TRUE.equals(headers.get(MqttHeaders.PAYLOAD_FORMAT_UTF8))) {
			properties.payloadFormatUtf8(true);
		}
		addUserProperties(properties, headers.get(MqttHeaders.USER_PROPERTIES));
		return properties;
	}

	private static void addUserProperties(MqttProperties.Builder properties, Object userProperties) {
		if (userProperties instanceof Iterable<?> list) {
			for (Object element : list) {
				if (!(element instanceof UserProperty property)) {
					throw unsupported(MqttHeaders.USER_PROPERTIES, userProperties,
							"List<UserProperty> or Map<String, String>");
				}
				properties.userProperty(property.name(), property.value());
			}
		}
		else if (userProperties instanceof Map<?, ?> map) {
			map.forEach((name, value) -> properties.userProperty(String.valueOf(name), String.valueOf(value)));
		}
		else if (userProperties != null) {
			throw unsupported(MqttHeaders.USER_PROPERTIES, userProperties, "List<UserProperty> or Map<String, String>");
		}
	}

	private static MessageConversionException unsupported(String header, Object value, String expected) {
		return new MessageConversionException(
				"Header '" + header + "' must be a " + expected + ", was a " + value.getClass().getName());
	}

}
