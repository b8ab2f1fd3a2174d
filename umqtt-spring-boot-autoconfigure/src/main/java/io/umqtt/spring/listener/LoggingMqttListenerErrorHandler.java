package io.umqtt.spring.listener;

import io.umqtt.spring.MqttHeaders;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;

/**
 * The default {@link MqttListenerErrorHandler}: logs the failure with the topic and the
 * listener id, then delivery goes on.
 */
public class LoggingMqttListenerErrorHandler implements MqttListenerErrorHandler {

	private static final Log logger = LogFactory.getLog(LoggingMqttListenerErrorHandler.class);

	@Override
	public void handleError(String listenerId, Message<?> message, Exception exception) {
		logger.error("MQTT listener '" + listenerId + "' failed on a message on '"
				+ message.getHeaders().get(MqttHeaders.TOPIC) + "' (QoS " + message.getHeaders().get(MqttHeaders.QOS)
				+ "); the message is acknowledged", exception);
	}

}
