package io.umqtt.spring;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttProperties;
import io.umqtt.core.UserProperty;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The request/reply of an {@link MqttTemplate} over {@link MqttClient#request}: the
 * request goes with the client's response topic and a correlation data of its own, and
 * the reply becomes a {@code Message<byte[]>} with the {@link MqttHeaders} of its topic,
 * QoS and properties.
 */
final class MqttReplies {

	private static final Log logger = LogFactory.getLog(MqttReplies.class);

	/**
	 * How much longer the client keeps a request than the template waits for it, so that
	 * the template's own wait is what ends it.
	 */
	private static final Duration CLIENT_GRACE = Duration.ofSeconds(1);

	private MqttReplies() {
	}

	/**
	 * Sends a request and waits for its reply.
	 * @return the reply, or {@code null} when none came within {@code timeout}
	 * @throws IllegalStateException when the client is not on MQTT 5
	 * @throws MessageDeliveryException when the request could not be published
	 */
	static @Nullable Message<byte[]> sendAndReceive(MqttClient client, int mqttVersion, String topic,
			Message<?> request, byte[] payload, int qos, MqttProperties properties, Duration timeout) {
		if (mqttVersion != 5) {
			throw new IllegalStateException("sendAndReceive to '" + topic + "' needs MQTT 5, but the client "
					+ client.clientId() + " is on MQTT " + mqttVersion
					+ ", which has no response topic or correlation data: set umqtt.version: 5");
		}
		CompletableFuture<MqttMessage> reply = client.request(topic, payload, qos, properties,
				timeout.plus(CLIENT_GRACE));
		try {
			return toMessage(reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
		}
		catch (TimeoutException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("No reply to the request to '" + topic + "' within " + timeout.toMillis() + " ms");
			}
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MessageDeliveryException(request, "Interrupted while waiting for the reply to '" + topic + "'",
					ex);
		}
		catch (ExecutionException ex) {
			throw new MessageDeliveryException(request, "Request to '" + topic + "' failed: " + ex.getCause(),
					ex.getCause());
		}
	}

	/** A received reply as a message with its MQTT headers. */
	static Message<byte[]> toMessage(MqttMessage reply) {
		MessageBuilder<byte[]> message = MessageBuilder.withPayload(reply.payload())
			.setHeader(MqttHeaders.TOPIC, reply.topic())
			.setHeader(MqttHeaders.QOS, reply.qos())
			.setHeader(MqttHeaders.RETAINED, reply.retain());
		MqttProperties properties = reply.properties();
		if (properties.contentType() != null) {
			message.setHeader(MqttHeaders.CONTENT_TYPE, properties.contentType());
			message.setHeader(MessageHeaders.CONTENT_TYPE, properties.contentType());
		}
		if (properties.correlationData() != null) {
			message.setHeader(MqttHeaders.CORRELATION_DATA, properties.correlationData());
		}
		if (properties.messageExpiry() != null) {
			message.setHeader(MqttHeaders.MESSAGE_EXPIRY, properties.messageExpiry());
		}
		if (properties.payloadFormatUtf8()) {
			message.setHeader(MqttHeaders.PAYLOAD_FORMAT_UTF8, true);
		}
		if (!properties.userProperties().isEmpty()) {
			message.setHeader(MqttHeaders.USER_PROPERTIES, properties.userProperties());
			for (UserProperty property : properties.userProperties()) {
				message.setHeaderIfAbsent(property.name(), property.value());
			}
		}
		return message.build();
	}

}
