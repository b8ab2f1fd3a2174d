package io.umqtt.core.packet;

/**
 * CONNACK, server to client.
 *
 * @param sessionPresent whether the server resumed a stored session
 * @param returnCode 0 accepted; 1 to 5 refused
 */
public record ConnAck(boolean sessionPresent, int returnCode) implements Packet {

	public ConnAck {
		if (returnCode < 0 || returnCode > 255) {
			throw new IllegalArgumentException("CONNACK return code is one byte, was " + returnCode);
		}
	}

	/** Whether the connection was accepted. */
	public boolean accepted() {
		return this.returnCode == 0;
	}

	/**
	 * What a CONNACK return code means [MQTT-3.2.2.3].
	 * @param returnCode the code
	 * @return its meaning
	 */
	public static String describe(int returnCode) {
		return switch (returnCode) {
			case 0 -> "Connection accepted";
			case 1 -> "Connection refused: unacceptable protocol version";
			case 2 -> "Connection refused: identifier rejected";
			case 3 -> "Connection refused: server unavailable";
			case 4 -> "Connection refused: bad user name or password";
			case 5 -> "Connection refused: not authorized";
			default -> "Connection refused: unknown return code " + returnCode;
		};
	}

	@Override
	public int type() {
		return 2;
	}

}
