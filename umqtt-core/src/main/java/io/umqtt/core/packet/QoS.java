package io.umqtt.core.packet;

/**
 * Quality-of-service checks.
 */
public final class QoS {

	private QoS() {
	}

	/**
	 * Checks a QoS level: 0, 1 or 2.
	 * @param qos the level
	 * @return the level
	 * @throws IllegalArgumentException when it is another value
	 */
	public static int check(int qos) {
		if (qos < 0 || qos > 2) {
			throw new IllegalArgumentException("QoS must be 0, 1 or 2, was " + qos);
		}
		return qos;
	}

}
