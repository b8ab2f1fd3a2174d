package io.umqtt.core;

import java.util.concurrent.CompletionStage;

/**
 * A listener that handles messages on threads of its own. The client acknowledges a QoS 1
 * or 2 message when the returned stage completes, not when this method returns, and still
 * in the order the messages arrived [MQTT-4.6.0-2]. At most the inbound queue's capacity
 * of messages are outstanding at once: beyond that the delivering thread waits, and the
 * socket stops being read, so a slow listener slows the broker down instead of filling
 * memory. Answers the client awaits (the PUBACK of a listener's own publish, say) are
 * still read, through a bounded overflow (README, "Reliability"), so a listener may block
 * in a QoS 1 or 2 publish.
 */
@FunctionalInterface
public interface AsyncMqttMessageListener extends MqttMessageListener {

	/**
	 * Takes a message for handling.
	 * @param message the message
	 * @return completes (normally or not) when the message has been handled
	 */
	CompletionStage<?> onMessageAsync(MqttMessage message);

	@Override
	default void onMessage(MqttMessage message) {
		onMessageAsync(message).toCompletableFuture().join();
	}

}
