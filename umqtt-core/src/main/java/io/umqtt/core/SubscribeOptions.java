package io.umqtt.core;

/**
 * The MQTT 5 options of one subscription, beside its QoS (the subscription options byte
 * of SUBSCRIBE, bits 2 to 5).
 *
 * @param noLocal whether the server withholds the client's own publications on this
 * filter
 * @param retainAsPublished whether forwarded messages keep the RETAIN flag they were
 * published with
 * @param retainHandling 0 retained messages are sent at subscribe time, 1 only when the
 * subscription is new, 2 never
 */
public record SubscribeOptions(boolean noLocal, boolean retainAsPublished, int retainHandling) {

	/**
	 * MQTT's defaults, and what 3.1.1 does: local messages too, RETAIN cleared, retained
	 * messages sent.
	 */
	public static final SubscribeOptions DEFAULT = new SubscribeOptions(false, false, 0);

	public SubscribeOptions {
		if (retainHandling < 0 || retainHandling > 2) {
			throw new IllegalArgumentException(
					"Retain handling must be 0, 1 or 2 [MQTT-3.8.3-5], was " + retainHandling);
		}
	}

}
