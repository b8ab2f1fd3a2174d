package io.umqtt.core.topic;

/**
 * Rules for topic names, the topics messages are published to.
 */
public final class TopicName {

	private TopicName() {
	}

	/**
	 * What is wrong with {@code topic} as a topic name, or {@code null} when it is valid.
	 * @param topic the topic name
	 * @return the broken rule, or {@code null}
	 */
	public static String problem(String topic) {
		if (topic == null) {
			return "topic name is null";
		}
		int bytes = Utf8.encodedLength(topic);
		if (bytes < 0) {
			return "topic name is not well-formed UTF-8 [MQTT-1.5.3-1]";
		}
		if (bytes == 0) {
			return "topic name must be at least one character long [MQTT-4.7.3-1]";
		}
		if (bytes > 65_535) {
			return "topic name is " + bytes + " UTF-8 bytes, more than 65535 [MQTT-4.7.3-3]";
		}
		for (int i = 0; i < topic.length(); i++) {
			char c = topic.charAt(i);
			if (c == '+' || c == '#') {
				return "topic name must not contain wildcard '" + c + "' [MQTT-3.3.2-2]";
			}
			if (c == 0) {
				return "topic name must not contain U+0000 [MQTT-4.7.3-2]";
			}
		}
		return null;
	}

	/**
	 * Checks a topic name.
	 * @param topic the topic name
	 * @return the topic name
	 * @throws IllegalArgumentException naming the broken rule
	 */
	public static String check(String topic) {
		String problem = problem(topic);
		if (problem != null) {
			throw new IllegalArgumentException("Invalid topic '" + LogSafe.topic(topic) + "': " + problem);
		}
		return topic;
	}

}
