package io.umqtt.spring.listener;

import org.springframework.messaging.Message;

/**
 * Decides what happens when a listener method throws, or its arguments cannot be resolved (a
 * payload that does not convert). Whatever it does, the message is acknowledged afterwards and
 * the connection stays up; to have it delivered again, republish it (for example to a
 * dead-letter topic) from here.
 */
@FunctionalInterface
public interface MqttListenerErrorHandler {

	/**
	 * @param listenerId the failing listener's id
	 * @param message the message, with its {@link io.umqtt.spring.MqttHeaders}
	 * @param exception what was thrown
	 */
	void handleError(String listenerId, Message<?> message, Exception exception);

}
