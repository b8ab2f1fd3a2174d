package io.umqtt.spring.listener;

import java.util.HashMap;
import java.util.Map;

import io.umqtt.core.MqttMessage;
import io.umqtt.spring.MqttHeaders;

import org.springframework.messaging.MessageHeaders;

/**
 * The headers of a received message: its MQTT facts ({@link MqttHeaders}) and, on MQTT 5,
 * its properties (see {@link Mqtt5MessageHeaders}). Made once per message without an
 * {@code id} or {@code timestamp} header: the packet id and the broker identify an MQTT
 * message, and a random id per message would cost every listener.
 */
final class MqttMessageHeaders extends MessageHeaders {

	private static final long serialVersionUID = 1L;

	private static final ThreadLocal<Map<String, Object>> SOURCE = ThreadLocal.withInitial(() -> new HashMap<>(16));

	MqttMessageHeaders(MqttMessage message, String clientName, Map<String, String> topicVariables) {
		super(headers(message, clientName, topicVariables), ID_VALUE_NONE, -1L);
	}

	private static Map<String, Object> headers(MqttMessage message, String clientName,
			Map<String, String> topicVariables) {
		// MessageHeaders copies this map into its own: one map per thread is filled and
		// reused
		Map<String, Object> headers = SOURCE.get();
		headers.clear();
		headers.put(MqttHeaders.TOPIC, message.topic());
		headers.put(MqttHeaders.QOS, message.qos());
		headers.put(MqttHeaders.RETAINED, message.retain());
		headers.put(MqttHeaders.DUPLICATE, message.dup());
		headers.put(MqttHeaders.MESSAGE_ID, message.messageId());
		headers.put(MqttHeaders.CLIENT, clientName);
		headers.put(MqttHeaders.TOPIC_VARIABLES, topicVariables);
		// after the MQTT headers: a user property does not replace one of them
		Mqtt5MessageHeaders.put(message.properties(), headers);
		return headers;
	}

}
