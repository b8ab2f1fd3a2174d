package io.umqtt.core;

/**
 * Receives messages the way the reference's {@code set_callback(callback)} does: topic
 * and message.
 */
@FunctionalInterface
public interface MessageCallback {

	/**
	 * Called for each message, in the thread that calls {@link MqttClient#waitMsg()} or
	 * {@link MqttClient#checkMsg()}. A QoS 1 or 2 message is acknowledged after this
	 * returns.
	 * @param topic the topic it was published to
	 * @param msg the payload
	 */
	void onMessage(String topic, byte[] msg);

}
