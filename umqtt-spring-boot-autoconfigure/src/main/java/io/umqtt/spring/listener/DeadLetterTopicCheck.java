package io.umqtt.spring.listener;

import io.umqtt.core.topic.TopicFilter;

/**
 * Refuses, at start-up, a dead-letter topic that the listener's own filter, or the filter
 * of another listener of the same client, would receive: a message that keeps failing
 * would be republished to a listener again, without end. The topic is resolved with the
 * filter in place of {@code {topic}}, and the result is compared with the filter level by
 * level, each wildcard standing for whatever it can match.
 */
final class DeadLetterTopicCheck {

	private DeadLetterTopicCheck() {
	}

	/**
	 * Refuses a dead-letter topic that the listener's own filter would receive again.
	 * @param retry the retry settings with the dead-letter topic
	 * @param listenerId the listener's id, for the message
	 * @param subscribed the filter as subscribed ({@code $share/<group>/} allowed)
	 * @throws IllegalStateException when the listener's filter matches its dead-letter
	 * topic
	 */
	static void check(ListenerRetry retry, String listenerId, String subscribed) {
		if (retry.deadLetterTopic() == null) {
			return;
		}
		String filter = TopicFilter.matchingFilter(subscribed);
		String resolved = retry.deadLetterTopicFor(filter);
		if (overlaps(filter.split("/", -1), resolved.split("/", -1))) {
			throw new IllegalStateException(
					"umqtt.listener.dead-letter-topic '" + retry.deadLetterTopic() + "' resolves to '" + resolved
							+ "' for MQTT listener '" + listenerId + "', and that listener's own filter '" + subscribed
							+ "' matches it: a failed message would be dead-lettered to itself without end. "
							+ "Choose a dead-letter topic outside the listener's filters");
		}
	}

	/**
	 * Refuses a dead-letter topic of one listener that another listener's subscription on
	 * the same client would receive: the copy would be handled (and, failing,
	 * dead-lettered) again, without end when the two dead-letter each other's messages.
	 * @param retry the retry settings with the dead-letter topic
	 * @param listenerId the listener whose failed messages are dead-lettered
	 * @param subscribed that listener's filter as subscribed
	 * @param otherId the other listener of the same client
	 * @param otherSubscribed the other listener's filter as subscribed
	 * @throws IllegalStateException when the other filter matches the dead-letter topic
	 */
	static void check(ListenerRetry retry, String listenerId, String subscribed, String otherId,
			String otherSubscribed) {
		if (retry.deadLetterTopic() == null) {
			return;
		}
		String resolved = retry.deadLetterTopicFor(TopicFilter.matchingFilter(subscribed));
		String other = TopicFilter.matchingFilter(otherSubscribed);
		if (overlaps(other.split("/", -1), resolved.split("/", -1))) {
			throw new IllegalStateException("umqtt.listener.dead-letter-topic '" + retry.deadLetterTopic()
					+ "' resolves to '" + resolved + "' for MQTT listener '" + listenerId + "' (filter '" + subscribed
					+ "'), and MQTT listener '" + otherId + "' on the same client subscribes to '" + otherSubscribed
					+ "', which matches it: a failed message would come back to a listener as a new one, and two such "
					+ "listeners dead-letter to each other without end. Choose a dead-letter topic outside every "
					+ "listener's filters");
		}
	}

	/**
	 * Whether some topic matches both {@code filter} and the resolved dead-letter
	 * {@code pattern}.
	 */
	static boolean overlaps(String[] filter, String[] pattern) {
		if (filter.length > 0 && pattern.length > 0 && isWildcard(filter[0]) && pattern[0].startsWith("$")) {
			return false; // [MQTT-4.7.2-1]
		}
		return overlaps(filter, 0, pattern, 0);
	}

	private static boolean overlaps(String[] filter, int i, String[] pattern, int j) {
		if (i == filter.length && j == pattern.length) {
			return true;
		}
		if (i < filter.length && filter[i].equals("#")) {
			return true; // the rest, and the parent level itself [MQTT-4.7.1-2]
		}
		if (j < pattern.length && pattern[j].indexOf('#') >= 0) {
			// from the original topic: stands for any number of levels
			return overlaps(filter, i, pattern, j + 1) || (i < filter.length && overlaps(filter, i + 1, pattern, j));
		}
		if (i == filter.length || j == pattern.length) {
			return false;
		}
		boolean levelMatches = filter[i].equals("+") || pattern[j].indexOf('+') >= 0 || filter[i].equals(pattern[j]);
		return levelMatches && overlaps(filter, i + 1, pattern, j + 1);
	}

	private static boolean isWildcard(String level) {
		return level.equals("+") || level.equals("#");
	}

}
