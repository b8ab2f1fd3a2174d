package io.umqtt.core.delivery;

import io.umqtt.core.MqttException;
import io.umqtt.core.ReasonCode;
import io.umqtt.core.ServerLimits;
import io.umqtt.core.SubscribeOptions;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.topic.LogSafe;
import io.umqtt.core.topic.TopicFilter;

/**
 * What a subscription must satisfy before its SUBSCRIBE is sent (MQTT 5 options only on
 * 5, the server's Wildcard and Shared Subscription Available), and what its SUBACK code
 * means.
 */
final class SubscribeChecks {

	private SubscribeChecks() {
	}

	/**
	 * Checks a subscription against the protocol level and the server's limits.
	 * @throws IllegalArgumentException for MQTT 5 options on 3.1/3.1.1, or No Local on a
	 * shared subscription
	 * @throws MqttException for a subscription the server said it cannot take
	 */
	static void check(String filter, SubscribeOptions options, boolean mqtt5, ServerLimits limits) {
		if (!mqtt5) {
			if (!options.equals(SubscribeOptions.DEFAULT)) {
				throw new IllegalArgumentException("Subscribe options " + options + " need MQTT 5 (version(5))");
			}
			return;
		}
		boolean shared = filter.startsWith(TopicFilter.SHARED_PREFIX);
		if (shared && options.noLocal()) {
			throw new IllegalArgumentException("No Local on the shared subscription '" + LogSafe.topic(filter)
					+ "' is a protocol error [MQTT-3.8.3-4]");
		}
		if (shared && !limits.sharedSubscriptionAvailable()) {
			throw new MqttException("The server does not support shared subscriptions (Shared Subscription "
					+ "Available is 0): '" + LogSafe.topic(filter) + "' not sent");
		}
		if (!limits.wildcardSubscriptionAvailable() && (filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0)) {
			throw new MqttException("The server does not support wildcard subscriptions (Wildcard Subscription "
					+ "Available is 0): '" + LogSafe.topic(filter) + "' not sent");
		}
	}

	/**
	 * The granted QoS of a SUBACK code.
	 * @throws MqttException for a code of 0x80 or more, with it as return and reason code
	 * and, on MQTT 5, its name and the reason string
	 */
	static int granted(String filter, int code, SubAck ack, boolean mqtt5) {
		if (code < SubAck.FAILURE) {
			return code;
		}
		if (!mqtt5) {
			throw new MqttException("The broker refused the subscription to '" + LogSafe.topic(filter) + "'",
					SubAck.FAILURE, null);
		}
		String reason = ack.properties().reasonString();
		throw new MqttException("The server refused the subscription to '" + LogSafe.topic(filter) + "': "
				+ ReasonCode.describe(code, 9) + ((reason != null) ? ": " + reason : ""), code, code, null);
	}

}
