package io.umqtt.core.connection;

import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.PacketProperties;
import org.jspecify.annotations.Nullable;

/**
 * Whether the broker keeps the client's session after the connection ends: on MQTT 3.1
 * and 3.1.1 when the client asked without a clean session; on MQTT 5 when the Session
 * Expiry Interval is above zero [MQTT-3.1.2-23], the server's from CONNACK where it sent
 * one, as it replaces the client's (3.2.2.3.2).
 */
final class SessionExpiry {

	private SessionExpiry() {
	}

	/**
	 * The Session Expiry Interval in force, in seconds.
	 * @param requested what the client's CONNECT asked for
	 * @param ack the CONNACK, or {@code null} before one
	 * @return the server's value if it sent one, else {@code requested}
	 */
	static long effectiveSeconds(long requested, @Nullable ConnAck ack) {
		long announced = (ack != null) ? ack.properties().sessionExpiryInterval() : PacketProperties.ABSENT;
		return (announced != PacketProperties.ABSENT) ? announced : requested;
	}

	/**
	 * Whether the broker keeps the session after this connection.
	 * @param config the client's settings
	 * @param cleanSession the clean session (Clean Start) flag of the CONNECT
	 * @param ack the CONNACK, or {@code null} before one
	 * @return whether the session outlives the connection
	 */
	static boolean outlivesConnection(ClientConfig config, boolean cleanSession, @Nullable ConnAck ack) {
		if (!config.isMqtt5()) {
			return !cleanSession;
		}
		return effectiveSeconds(config.mqtt5().sessionExpirySeconds(), ack) > 0;
	}

}
