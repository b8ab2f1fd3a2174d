package io.umqtt.core.topic;

/**
 * Rules for topic filters, the patterns subscriptions use, and matching a topic name
 * against one.
 */
public final class TopicFilter {

	/** The prefix of a shared subscription: {@code $share/<group>/<filter>}. */
	public static final String SHARED_PREFIX = "$share/";

	private TopicFilter() {
	}

	/**
	 * What is wrong with {@code filter}, or {@code null} when it is valid.
	 * @param filter the topic filter
	 * @return the broken rule, or {@code null}
	 */
	public static String problem(String filter) {
		if (filter == null) {
			return "topic filter is null";
		}
		int bytes = Utf8.encodedLength(filter);
		if (bytes < 0) {
			return "topic filter is not well-formed UTF-8 [MQTT-1.5.3-1]";
		}
		if (bytes == 0) {
			return "topic filter must be at least one character long [MQTT-4.7.3-1]";
		}
		if (bytes > 65_535) {
			return "topic filter is " + bytes + " UTF-8 bytes, more than 65535 [MQTT-4.7.3-3]";
		}
		int length = filter.length();
		for (int i = 0; i < length; i++) {
			char c = filter.charAt(i);
			if (c == 0) {
				return "topic filter must not contain U+0000 [MQTT-4.7.3-2]";
			}
			boolean levelStart = i == 0 || filter.charAt(i - 1) == '/';
			boolean levelEnd = i == length - 1 || filter.charAt(i + 1) == '/';
			if (c == '#' && (!levelStart || i != length - 1)) {
				return "'#' must be the last character and stand alone in its level [MQTT-4.7.1-2]";
			}
			if (c == '+' && (!levelStart || !levelEnd)) {
				return "'+' must occupy an entire level [MQTT-4.7.1-3]";
			}
		}
		if (filter.startsWith(SHARED_PREFIX)) {
			int groupEnd = filter.indexOf('/', SHARED_PREFIX.length());
			if (groupEnd <= SHARED_PREFIX.length() || groupEnd == length - 1) {
				return "a shared subscription is $share/<group>/<filter> with a non-empty group and filter";
			}
			String group = filter.substring(SHARED_PREFIX.length(), groupEnd);
			if (group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
				return "a shared subscription group must not contain wildcards";
			}
		}
		return null;
	}

	/**
	 * Checks a topic filter.
	 * @param filter the topic filter
	 * @return the filter
	 * @throws IllegalArgumentException naming the broken rule
	 */
	public static String check(String filter) {
		String problem = problem(filter);
		if (problem != null) {
			throw new IllegalArgumentException("Invalid topic filter '" + LogSafe.topic(filter) + "': " + problem);
		}
		return filter;
	}

	/**
	 * The filter messages are matched with: {@code a/+} for {@code $share/group/a/+},
	 * else the filter itself.
	 * @param filter a valid topic filter
	 * @return the filter without a shared-subscription prefix
	 */
	public static String matchingFilter(String filter) {
		if (filter.startsWith(SHARED_PREFIX)) {
			int groupEnd = filter.indexOf('/', SHARED_PREFIX.length());
			if (groupEnd > 0) {
				return filter.substring(groupEnd + 1);
			}
		}
		return filter;
	}

	/**
	 * Whether {@code topic} matches {@code filter}. A topic starting with {@code $} is
	 * not matched by a filter starting with a wildcard [MQTT-4.7.2-1].
	 * @param filter a valid topic filter (a shared-subscription prefix is ignored)
	 * @param topic a topic name
	 * @return whether it matches
	 */
	public static boolean matches(String filter, String topic) {
		String pattern = matchingFilter(filter);
		if (!topic.isEmpty() && topic.charAt(0) == '$' && !pattern.isEmpty()
				&& (pattern.charAt(0) == '+' || pattern.charAt(0) == '#')) {
			return false;
		}
		int f = 0;
		int t = 0;
		int fl = pattern.length();
		int tl = topic.length();
		while (f < fl) {
			char c = pattern.charAt(f);
			if (c == '#') {
				return true;
			}
			if (c == '+') {
				while (t < tl && topic.charAt(t) != '/') {
					t++;
				}
				f++;
			}
			else {
				int fEnd = pattern.indexOf('/', f);
				if (fEnd < 0) {
					fEnd = fl;
				}
				int tEnd = topic.indexOf('/', t);
				if (tEnd < 0) {
					tEnd = tl;
				}
				if (t > tl || fEnd - f != tEnd - t || !pattern.regionMatches(f, topic, t, fEnd - f)) {
					return false;
				}
				f = fEnd;
				t = tEnd;
			}
			// both at a level end: '/' or the end
			if (f == fl) {
				return t == tl;
			}
			// pattern has '/' at f
			if (t == tl) {
				// "a/#" matches "a": the rest of the filter is exactly "/#"
				return pattern.length() - f == 2 && pattern.charAt(f + 1) == '#';
			}
			f++;
			t++;
		}
		return t == tl;
	}

}
