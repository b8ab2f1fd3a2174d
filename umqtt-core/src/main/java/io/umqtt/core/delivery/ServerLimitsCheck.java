package io.umqtt.core.delivery;

import io.umqtt.core.ServerLimits;
import io.umqtt.core.topic.LogSafe;

/**
 * What the MQTT 5 server announced in its CONNACK that a publish must stay within: its
 * Maximum QoS, Retain Available and Maximum Packet Size. A publish beyond them fails
 * before anything is sent, and the connection stays up. Stateless.
 */
final class ServerLimitsCheck {

	private ServerLimitsCheck() {
	}

	/**
	 * Why the server would not take this publish, or {@code null} when it would.
	 * @param limits what the server announced ({@link ServerLimits#DEFAULTS} before a
	 * connection)
	 * @param topic the topic name
	 * @param qos the QoS
	 * @param retain the RETAIN flag
	 * @param packetSize the PUBLISH's encoded size in bytes
	 * @return the reason, naming the rule
	 */
	static String problem(ServerLimits limits, String topic, int qos, boolean retain, long packetSize) {
		if (qos > limits.maximumQos()) {
			return "PUBLISH to '" + LogSafe.topic(topic) + "' at QoS " + qos + " is above the server's Maximum QoS "
					+ limits.maximumQos() + " [MQTT-3.2.2-11]";
		}
		if (retain && !limits.retainAvailable()) {
			return "PUBLISH to '" + LogSafe.topic(topic)
					+ "' with RETAIN: the server does not support retained messages (Retain Available 0)"
					+ " [MQTT-3.2.2-14]";
		}
		if (limits.maximumPacketSize() > 0 && packetSize > limits.maximumPacketSize()) {
			return "PUBLISH to '" + LogSafe.topic(topic) + "' would be " + packetSize
					+ " bytes, over the server's Maximum Packet Size " + limits.maximumPacketSize()
					+ " [MQTT-3.2.2-15]";
		}
		return null;
	}

}
