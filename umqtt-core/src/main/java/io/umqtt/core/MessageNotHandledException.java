package io.umqtt.core;

/**
 * Declines a received message: an {@link AsyncMqttMessageListener} completes its stage
 * with this when it did not handle the message and the message must not be acknowledged
 * (it is stopping, say). The client then gives the listener's delivery slot back, never
 * acknowledges that QoS 1 or 2 message (the broker sends it again on the next connection
 * of a persistent session; a QoS 2 one is forgotten, so that the resend is delivered),
 * and goes on acknowledging the messages after it. It counts in
 * {@link MqttClient#unhandledMessages()} and reaches
 * {@link MqttClientObserver#unhandled}. Carries no stack trace: it is a verdict, not a
 * failure.
 */
public final class MessageNotHandledException extends RuntimeException {

	/**
	 * A declined message.
	 * @param reason why it was not handled, for the log
	 */
	public MessageNotHandledException(String reason) {
		super(reason, null, false, false);
	}

}
