package io.umqtt.core;

/**
 * Receives whole messages: payload with QoS, retain and duplicate flags and the packet
 * id.
 */
@FunctionalInterface
public interface MqttMessageListener {

	/**
	 * Called for each message, in the delivering thread. A QoS 1 or 2 message is
	 * acknowledged after this returns.
	 * @param message the message
	 */
	void onMessage(MqttMessage message);

}
