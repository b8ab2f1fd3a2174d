package io.umqtt.spring.listener;

import java.time.Duration;

import io.umqtt.core.topic.TopicName;
import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * What happens when a listener method throws: it is invoked again up to
 * {@code maxAttempts} times in all, {@code backOff} apart at first, doubling each time up
 * to {@code maxBackOff} (spring-core's {@link ExponentialBackOff}), then the message is
 * republished to the dead-letter topic, if one is set, and passed to the
 * {@link MqttListenerErrorHandler}. Every bound is checked here, so a configuration that
 * cannot work fails when it is bound, naming the property.
 *
 * @param maxAttempts invocations in all, 1 (no retry) to {@value #MAX_ATTEMPTS}
 * @param backOff the wait before the first retry, zero or more and at most
 * {@code maxBackOff}
 * @param maxBackOff the longest wait between two attempts, at most {@link #MAX_BACK_OFF}
 * @param deadLetterTopic where failed messages are republished; {@code {topic}} stands
 * for the original topic; {@code null} for none
 */
public record ListenerRetry(int maxAttempts, Duration backOff, Duration maxBackOff, @Nullable String deadLetterTopic) {

	/** The most invocations of one message. */
	public static final int MAX_ATTEMPTS = 100;

	/** The longest wait between two attempts. */
	public static final Duration MAX_BACK_OFF = Duration.ofHours(1);

	/** The longest wait between two attempts when none is given. */
	public static final Duration DEFAULT_MAX_BACK_OFF = Duration.ofSeconds(30);

	/** The placeholder of the original topic in a dead-letter topic. */
	public static final String TOPIC_PLACEHOLDER = "{topic}";

	/** No retry, no dead-letter topic. */
	public static final ListenerRetry NONE = new ListenerRetry(1, Duration.ZERO, DEFAULT_MAX_BACK_OFF, null);

	public ListenerRetry {
		if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
			throw new IllegalArgumentException(
					"umqtt.listener.max-attempts must be between 1 and " + MAX_ATTEMPTS + ", was " + maxAttempts);
		}
		if (maxBackOff == null || maxBackOff.isNegative() || maxBackOff.compareTo(MAX_BACK_OFF) > 0) {
			throw new IllegalArgumentException(
					"umqtt.listener.max-backoff must be between 0 and " + MAX_BACK_OFF + ", was " + maxBackOff);
		}
		if (backOff == null || backOff.isNegative() || backOff.compareTo(maxBackOff) > 0) {
			throw new IllegalArgumentException(
					"umqtt.listener.backoff must be between 0 and umqtt.listener.max-backoff (" + maxBackOff + "), was "
							+ backOff);
		}
		if (deadLetterTopic != null && deadLetterTopic.isBlank()) {
			deadLetterTopic = null;
		}
		if (deadLetterTopic != null) {
			// the literal parts: a wildcard or a forbidden character there is wrong for
			// every topic
			String problem = TopicName.problem(deadLetterTopic.replace(TOPIC_PLACEHOLDER, "t"));
			if (problem != null) {
				throw new IllegalArgumentException("umqtt.listener.dead-letter-topic '" + deadLetterTopic
						+ "' is not a valid topic name: " + problem);
			}
		}
	}

	/**
	 * Creates a new {@code ListenerRetry}.
	 * @param maxAttempts invocations in all
	 * @param backOff the wait before the first retry
	 * @param deadLetterTopic the dead-letter topic, or {@code null}
	 */
	public ListenerRetry(int maxAttempts, Duration backOff, @Nullable String deadLetterTopic) {
		this(maxAttempts, backOff,
				(backOff != null && backOff.compareTo(DEFAULT_MAX_BACK_OFF) > 0) ? backOff : DEFAULT_MAX_BACK_OFF,
				deadLetterTopic);
	}

	/**
	 * The waits between attempts: {@code maxAttempts - 1} of them, each at most
	 * {@code maxBackOff}.
	 */
	public BackOff toBackOff() {
		ExponentialBackOff backOff = new ExponentialBackOff(
				Math.min(this.backOff.toMillis(), this.maxBackOff.toMillis()), 2.0);
		backOff.setMaxInterval(this.maxBackOff.toMillis());
		backOff.setMaxAttempts(this.maxAttempts - 1);
		backOff.setMaxElapsedTime(Long.MAX_VALUE);
		return backOff;
	}

	/** The dead-letter topic for a message on {@code topic}, or {@code null}. */
	String deadLetterTopicFor(String topic) {
		return (this.deadLetterTopic != null) ? this.deadLetterTopic.replace(TOPIC_PLACEHOLDER, topic) : null;
	}

}
