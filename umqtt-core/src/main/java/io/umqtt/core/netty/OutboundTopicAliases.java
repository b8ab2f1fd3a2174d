package io.umqtt.core.netty;

import java.util.HashMap;
import java.util.Map;

/**
 * The topic aliases a connection gives the topics it publishes to (MQTT 5): assigned in
 * order of first use, 1 up to the server's Topic Alias Maximum, and kept for the life of
 * the connection. Once all are taken the mapping stays as it is (no eviction, so no
 * remapping churn) and other topics go with their full name. One table per connection, as
 * aliases do not outlive it [MQTT-3.3.2-7]; never 0 [MQTT-3.3.2-8], never above the
 * server's maximum [MQTT-3.2.2-17] [MQTT-3.3.2-9], and with a maximum of 0 (or none)
 * there is no table at all [MQTT-3.2.2-18].
 * <p>
 * Used by the encoder only, on the event loop: no locking. A lookup of a topic already
 * aliased allocates nothing (the map holds the boxed aliases it returns).
 */
public final class OutboundTopicAliases {

	private final int maximum;

	private final Map<String, Integer> aliases = new HashMap<>();

	private int next = 1;

	/**
	 * A table for a connection whose server accepts {@code maximum} aliases.
	 * @param maximum the server's Topic Alias Maximum, 1 to 65,535
	 */
	public OutboundTopicAliases(int maximum) {
		if (maximum < 1 || maximum > 65_535) {
			throw new IllegalArgumentException("Topic Alias Maximum " + maximum + " is not 1 to 65,535");
		}
		this.maximum = maximum;
	}

	/**
	 * The alias for {@code topic}.
	 * @param topic the topic name
	 * @return the alias when the topic has one already (send the empty topic with it),
	 * the negation of the next free one (send the topic with it, then
	 * {@link #sent(String)}), or 0 when every alias is taken by other topics (send the
	 * topic alone)
	 */
	public int aliasFor(String topic) {
		Integer alias = this.aliases.get(topic);
		if (alias != null) {
			return alias;
		}
		return (this.next > this.maximum) ? 0 : -this.next;
	}

	/**
	 * The PUBLISH that gives {@code topic} the alias {@link #aliasFor(String)} offered is
	 * written: the alias stands for the topic from now on. A PUBLISH that could not be
	 * encoded never calls this, so no alias is used that the server was not given.
	 * @param topic the topic name
	 */
	public void sent(String topic) {
		this.aliases.put(topic, this.next++);
	}

	/** The server's Topic Alias Maximum this table keeps to. */
	public int maximum() {
		return this.maximum;
	}

	/** How many aliases are assigned. */
	public int assigned() {
		return this.next - 1;
	}

}
