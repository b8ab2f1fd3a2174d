package io.umqtt.spring.boot.autoconfigure;

import java.util.List;

/**
 * Thrown at start-up when a client's MQTT 5 keys ({@code session-expiry},
 * {@code user-properties}, ...) are set while its {@code version} is 3 or 4, which could
 * not send them. {@link Mqtt5PropertyFailureAnalyzer} reports it.
 */
public class Mqtt5PropertyException extends IllegalStateException {

	private final String prefix;

	private final List<String> keys;

	private final int version;

	/**
	 * Creates a new {@code Mqtt5PropertyException}.
	 * @param prefix the client's prefix, {@code umqtt} or {@code umqtt.clients.<name>}
	 * @param keys the MQTT 5 keys that were set, relative to the prefix
	 * @param version the client's version, 3 or 4
	 */
	public Mqtt5PropertyException(String prefix, List<String> keys, int version) {
		super(message(prefix, keys, version));
		this.prefix = prefix;
		this.keys = List.copyOf(keys);
		this.version = version;
	}

	/** The client's prefix, {@code umqtt} or {@code umqtt.clients.<name>}. */
	public String getPrefix() {
		return this.prefix;
	}

	/** The MQTT 5 keys that were set, in full, such as {@code umqtt.session-expiry}. */
	public List<String> getKeys() {
		return this.keys.stream().map((key) -> this.prefix + "." + key).toList();
	}

	/** The key that selects the client's version, such as {@code umqtt.version}. */
	public String getVersionKey() {
		return this.prefix + ".version";
	}

	/** The client's version, 3 or 4. */
	public int getVersion() {
		return this.version;
	}

	private static String message(String prefix, List<String> keys, int version) {
		String named = String.join(", ", keys.stream().map((key) -> prefix + "." + key).toList());
		String what = (keys.size() == 1) ? " is an MQTT 5 setting" : " are MQTT 5 settings";
		return named + what + "; set " + prefix + ".version: 5 (it is " + version + ", MQTT "
				+ ((version == 3) ? "3.1" : "3.1.1") + ")";
	}

}
