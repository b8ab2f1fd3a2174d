package io.umqtt.core;

/**
 * Told what a client publishes and receives, for metrics. Set with
 * {@link MqttClient#setObserver(MqttClientObserver)}; without one the client pays
 * nothing. Methods run on the client's network thread or the publishing thread: keep them
 * cheap and never block. The defaults do nothing.
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
	 * A message was delivered as its QoS promises: written (QoS 0), PUBACK (QoS 1),
	 * PUBCOMP (QoS 2).
	 * @param qos its QoS
	 * @param nanos time since it was accepted
	 */
	default void published(int qos, long nanos) {
	}

	/**
	 * A message could not be published (disconnected, offline buffer full, no room in
	 * time).
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

	/**
	 * A message arrived that matched no listener while no callback was set. A QoS 1 or 2
	 * one on a persistent session is left unacknowledged, for the broker to send again on
	 * the next connection; otherwise it is acknowledged (QoS 0: dropped).
	 * @param qos its QoS
	 * @param acknowledged whether it was acknowledged (or, QoS 0, dropped) all the same
	 */
	default void unhandled(int qos, boolean acknowledged) {
	}

	/**
	 * A QoS 0 message was dropped because the inbound queue's overflow was full while an
	 * answer from the broker was awaited behind it.
	 * @param qos its QoS (always 0)
	 * @param bytes its payload size
	 */
	default void dropped(int qos, int bytes) {
	}

}
