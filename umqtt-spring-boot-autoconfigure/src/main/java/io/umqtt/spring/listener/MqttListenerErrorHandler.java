package io.umqtt.spring.listener;

import org.springframework.messaging.Message;

/**
 * Decides what happens when a listener method throws, or its arguments cannot be resolved
 * (a payload that does not convert), after the retries and the dead-letter publish. The
 * message is acknowledged afterwards, also when this throws (that is logged and counted
 * as {@code umqtt.listener.failures}), and the connection stays up. An {@code Error} from
 * the method, and a dead-letter publish that failed (the message then stays
 * unacknowledged), arrive as a {@link MqttListenerExecutionException} with the cause.
 */
@FunctionalInterface
public interface MqttListenerErrorHandler {

	/**
	 * Handles a message its listener failed on, after the retries.
	 * @param listenerId the failing listener's id
	 * @param message the message, with its {@link io.umqtt.spring.MqttHeaders}
	 * @param exception what was thrown
	 */
	void handleError(String listenerId, Message<?> message, Exception exception);

}
