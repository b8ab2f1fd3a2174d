package io.umqtt.spring.listener;

import java.time.Duration;

/**
 * What happens when a listener method throws: it is invoked again up to {@code maxAttempts} times
 * in all, {@code backOff} apart (doubling each time), then the message is republished to the
 * dead-letter topic, if one is set, and passed to the {@link MqttListenerErrorHandler}.
 *
 * @param maxAttempts invocations in all, at least 1 (1: no retry)
 * @param backOff the wait before the first retry
 * @param deadLetterTopic where failed messages are republished; {@code {topic}} stands for the
 * original topic; {@code null} for none
 */
public record ListenerRetry(int maxAttempts, Duration backOff, String deadLetterTopic) {

	/** No retry, no dead-letter topic. */
	public static final ListenerRetry NONE = new ListenerRetry(1, Duration.ZERO, null);

	public ListenerRetry {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
		}
		if (backOff == null || backOff.isNegative()) {
			throw new IllegalArgumentException("backOff must not be negative");
		}
		if (deadLetterTopic != null && deadLetterTopic.isBlank()) {
			deadLetterTopic = null;
		}
	}

	/** The dead-letter topic for a message on {@code topic}, or {@code null}. */
	String deadLetterTopicFor(String topic) {
		return (this.deadLetterTopic != null) ? this.deadLetterTopic.replace("{topic}", topic) : null;
	}

}
