package io.umqtt.core.codec;

/**
 * Bytes that are not a well-formed MQTT packet, or a packet larger than allowed. The message
 * names the rule broken, citing the specification's clause where it has one. A connection that
 * reads one is closed [MQTT-4.8.0-1].
 */
public class MalformedPacketException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public MalformedPacketException(String message) {
		super(message);
	}

}
