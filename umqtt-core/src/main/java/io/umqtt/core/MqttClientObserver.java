package io.umqtt.core;

/**
 * Told what a client publishes and receives, for metrics. Set with
 * {@link MqttClient#setObserver(MqttClientObserver)}; without one the client pays nothing.
 * Methods run on the client's network thread or the publishing thread: keep them cheap and never
 * block. The defaults do nothing.
 */
public interface MqttClientObserver {

	/**
	 * A message was accepted for publishing.
	 * @param qos its QoS
	 * @param bytes its payload size
	 */
	default void publishing(int qos, int bytes) {
	}

	/**
	 * A message was delivered as its QoS promises: written (QoS 0), PUBACK (QoS 1), PUBCOMP (QoS 2).
	 * @param qos its QoS
	 * @param nanos time since it was accepted
	 */
	default void published(int qos, long nanos) {
	}

	/**
	 * A message could not be published (disconnected, offline buffer full, no room in time).
	 * @param qos its QoS
	 */
	default void publishFailed(int qos) {
	}

	/**
	 * A message arrived from the broker.
	 * @param qos its QoS
	 * @param bytes its payload size
	 */
	default void received(int qos, int bytes) {
	}

}
