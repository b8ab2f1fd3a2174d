package io.umqtt.spring.listener;

import io.umqtt.core.MqttMessage;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * A received MQTT message as the {@code Message<byte[]>} a listener method is invoked
 * with. Its headers ({@link MqttHeaders}, topic variables included) are built the first
 * time something asks for them and kept: a method that takes only the payload costs no
 * header map, which is most of what spring-messaging would otherwise allocate per
 * message.
 */
final class MqttListenerMessage implements Message<byte[]> {

	private final MqttMessage message;

	private final String clientName;

	private final TopicTemplate topic;

	private MessageHeaders headers;

	MqttListenerMessage(MqttMessage message, String clientName, TopicTemplate topic) {
		this.message = message;
		this.clientName = clientName;
		this.topic = topic;
	}

	@Override
	public byte[] getPayload() {
		return this.message.payload();
	}

	@Override
	public MessageHeaders getHeaders() {
		MessageHeaders built = this.headers;
		if (built == null) {
			// one listener thread reads a message; a second thread at worst builds equal
			// headers
			built = new MqttMessageHeaders(this.message, this.clientName, this.topic.variables(this.message.topic()));
			this.headers = built;
		}
		return built;
	}

	@Override
	public String toString() {
		return "MqttListenerMessage [payload=byte[" + this.message.payload().length + "], headers=" + getHeaders()
				+ "]";
	}

}
