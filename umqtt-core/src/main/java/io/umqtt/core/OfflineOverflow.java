package io.umqtt.core;

/**
 * What a client does with a publish made while it is disconnected (internal reconnection
 * on) when its offline buffer is full, by count or by bytes.
 */
public enum OfflineOverflow {

	/**
	 * The new message fails ({@link MqttException}); what is queued stays. The default.
	 */
	FAIL_NEW,

	/** The oldest queued message fails, making room for the new one. */
	DROP_OLDEST,

	/**
	 * The publisher waits: the client stops taking messages for the network until it has
	 * reconnected, so publishers block once the queue to the network is full too (up to
	 * the publish timeout).
	 */
	BLOCK

}
