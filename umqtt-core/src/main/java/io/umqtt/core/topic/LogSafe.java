package io.umqtt.core.topic;

/**
 * Topics and text from the network made safe for log lines and exception messages:
 * control characters escaped (a CR or LF in a topic cannot forge a log line) and long
 * topics truncated (a 64 KiB topic does not fill a message).
 */
public final class LogSafe {

	/** How many characters of a topic a message shows. */
	public static final int TOPIC_CHARS = 200;

	private LogSafe() {
	}

	/**
	 * A topic for a log line or an exception message: control characters escaped, and at
	 * most {@value #TOPIC_CHARS} characters, followed by {@code …(n bytes)} when it was
	 * longer.
	 * @param topic a topic name or filter, possibly invalid; may be {@code null}
	 * @return the printable form
	 */
	public static String topic(String topic) {
		if (topic == null) {
			return "null";
		}
		if (topic.length() <= TOPIC_CHARS) {
			return text(topic);
		}
		int bytes = Utf8.encodedLength(topic);
		int end = TOPIC_CHARS;
		if (Character.isHighSurrogate(topic.charAt(end - 1))) {
			end--;
		}
		return text(topic.substring(0, end)) + "…(" + ((bytes >= 0) ? bytes + " bytes" : topic.length() + " chars")
				+ ")";
	}

	/**
	 * Text for a log line: characters below U+0020, U+007F to U+009F and the Unicode line
	 * and paragraph separators escaped as {@code \n}, {@code \r}, {@code \t} or
	 * {@code \}{@code uXXXX}.
	 * @param text any text; may be {@code null}
	 * @return the text, the same instance when nothing needed escaping
	 */
	public static String text(String text) {
		if (text == null) {
			return "null";
		}
		int first = -1;
		for (int i = 0; i < text.length(); i++) {
			if (needsEscape(text.charAt(i))) {
				first = i;
				break;
			}
		}
		if (first < 0) {
			return text;
		}
		StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
		for (int i = first; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!needsEscape(c)) {
				escaped.append(c);
			}
			else if (c == '\n') {
				escaped.append("\\n");
			}
			else if (c == '\r') {
				escaped.append("\\r");
			}
			else if (c == '\t') {
				escaped.append("\\t");
			}
			else {
				escaped.append(String.format("\\u%04X", (int) c));
			}
		}
		return escaped.toString();
	}

	private static boolean needsEscape(char c) {
		return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
	}

}
