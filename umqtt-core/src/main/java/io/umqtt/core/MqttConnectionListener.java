package io.umqtt.core;

/**
 * Told about a client's connection: for application events, metrics and health. Every
 * method runs on the client's event thread, never the network thread; the defaults do
 * nothing.
 */
public interface MqttConnectionListener {

	/**
	 * The broker accepted a connection.
	 * @param client the client
	 * @param sessionPresent whether the broker resumed a stored session
	 * @param reconnect whether this was internal reconnection
	 */
	default void connected(MqttClient client, boolean sessionPresent, boolean reconnect) {
	}

	/**
	 * An established connection ended other than by {@code disconnect()}.
	 * @param client the client
	 * @param reason what happened
	 */
	default void connectionLost(MqttClient client, String reason) {
	}

	/**
	 * The broker refused a subscription renewed after a reconnect (return code 0x80).
	 * @param client the client
	 * @param filter the topic filter
	 */
	default void subscriptionRefused(MqttClient client, String filter) {
	}

}
