package io.umqtt.core.topic;

/**
 * UTF-8 facts about Java strings, computed without encoding them.
 */
public final class Utf8 {

	private Utf8() {
	}

	/**
	 * The UTF-8 encoded length of {@code text} in bytes, or -1 when it holds an unpaired
	 * surrogate and so has no well-formed UTF-8 encoding [MQTT-1.5.3-1].
	 * @param text the string
	 * @return byte length or -1
	 */
	public static int encodedLength(CharSequence text) {
		int length = text.length();
		int bytes = length;
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				continue;
			}
			if (c < 0x800) {
				bytes += 1;
			}
			else if (Character.isHighSurrogate(c)) {
				if (i + 1 >= length || !Character.isLowSurrogate(text.charAt(i + 1))) {
					return -1;
				}
				bytes += 2;
				i++;
			}
			else if (Character.isLowSurrogate(c)) {
				return -1;
			}
			else {
				bytes += 2;
			}
		}
		return bytes;
	}

}
