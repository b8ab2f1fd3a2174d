package io.umqtt.core;

import java.time.Duration;

/**
 * What an MQTT 5 server announced in its CONNACK, with the protocol's defaults where it
 * announced nothing.
 *
 * @param receiveMaximum how many QoS 1 and 2 publishes the client may have in flight, 1
 * to 65,535
 * @param maximumQos the highest QoS the server accepts, 0 to 2
 * @param retainAvailable whether the server accepts retained messages
 * @param maximumPacketSize the largest packet the server accepts, in bytes; 0 when it set
 * no limit
 * @param topicAliasMaximum the highest topic alias the client may use; 0 for none
 * @param wildcardSubscriptionAvailable whether the server accepts wildcard filters
 * @param subscriptionIdentifiersAvailable whether the server supports subscription
 * identifiers
 * @param sharedSubscriptionAvailable whether the server supports shared subscriptions
 * @param serverKeepAlive the keep-alive the server imposes, or {@code null} when it sent
 * none
 * @param responseInformation the basis for response topics, or {@code null} when it sent
 * none
 */
public record ServerLimits(int receiveMaximum, int maximumQos, boolean retainAvailable, long maximumPacketSize,
		int topicAliasMaximum, boolean wildcardSubscriptionAvailable, boolean subscriptionIdentifiersAvailable,
		boolean sharedSubscriptionAvailable, Duration serverKeepAlive, String responseInformation) {

	/** What a server that announces nothing allows: the protocol's defaults. */
	public static final ServerLimits DEFAULTS = new ServerLimits(65_535, 2, true, 0, 0, true, true, true, null, null);

	public ServerLimits {
		if (receiveMaximum < 1 || receiveMaximum > 65_535) {
			throw new IllegalArgumentException(
					"Receive Maximum must be 1..65535 [MQTT-3.2.2.3.3], was " + receiveMaximum);
		}
		if (maximumQos < 0 || maximumQos > 2) {
			throw new IllegalArgumentException("Maximum QoS must be 0, 1 or 2, was " + maximumQos);
		}
		if (maximumPacketSize < 0 || maximumPacketSize > 0xFFFF_FFFFL) {
			throw new IllegalArgumentException(
					"Maximum Packet Size must be 0 (no limit) or up to 4294967295, was " + maximumPacketSize);
		}
		if (topicAliasMaximum < 0 || topicAliasMaximum > 65_535) {
			throw new IllegalArgumentException("Topic Alias Maximum must be 0..65535, was " + topicAliasMaximum);
		}
		if (serverKeepAlive != null && (serverKeepAlive.isNegative() || serverKeepAlive.getSeconds() > 65_535)) {
			throw new IllegalArgumentException("Server Keep Alive must be 0..65535 s, was " + serverKeepAlive);
		}
	}

}
