package io.umqtt.core.packet;

import java.util.Arrays;
import java.util.Objects;

/**
 * CONNECT, client to server.
 *
 * @param protocolLevel 3 for MQTT 3.1 ({@code MQIsdp}), 4 for MQTT 3.1.1 ({@code MQTT})
 * @param cleanSession whether the server discards any previous session
 * @param keepAliveSeconds keep-alive interval, 0 to 65,535 seconds; 0 disables it
 * @param clientId client identifier; may be empty (encoded as {@code 00 00})
 * @param will the last will, or {@code null}
 * @param username user name, or {@code null}
 * @param password password, or {@code null}; on 3.1 and 3.1.1 it needs a user name
 * [MQTT-3.1.2-22]
 * @param properties the MQTT 5 CONNECT properties; {@link PacketProperties#NONE} on 3.1
 * and 3.1.1
 */
public record Connect(int protocolLevel, boolean cleanSession, int keepAliveSeconds, String clientId, Will will,
		String username, byte[] password, PacketProperties properties) implements Packet {

	/** Protocol level of MQTT 3.1. */
	public static final int MQTT_3_1 = 3;

	/** Protocol level of MQTT 3.1.1. */
	public static final int MQTT_3_1_1 = 4;

	/** Protocol level of MQTT 5.0. */
	public static final int MQTT_5 = 5;

	public Connect {
		if (protocolLevel != MQTT_3_1 && protocolLevel != MQTT_3_1_1 && protocolLevel != MQTT_5) {
			throw new IllegalArgumentException(
					"Protocol level must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was " + protocolLevel);
		}
		Objects.requireNonNull(properties, "properties");
		if (protocolLevel != MQTT_5 && !properties.isEmpty()) {
			throw new IllegalArgumentException("Properties need MQTT 5, the protocol level was " + protocolLevel);
		}
		if (protocolLevel != MQTT_5 && will != null && !will.properties().isEmpty()) {
			throw new IllegalArgumentException("Will properties need MQTT 5, the protocol level was " + protocolLevel);
		}
		if (keepAliveSeconds < 0 || keepAliveSeconds > 65_535) {
			throw new IllegalArgumentException("Keep-alive must be 0..65535 s, was " + keepAliveSeconds);
		}
		Objects.requireNonNull(clientId, "clientId");
		if (password != null && username == null && protocolLevel != MQTT_5) {
			throw new IllegalArgumentException("A password needs a user name [MQTT-3.1.2-22]");
		}
	}

	/** A CONNECT without properties, as MQTT 3.1 and 3.1.1 send it. */
	public Connect(int protocolLevel, boolean cleanSession, int keepAliveSeconds, String clientId, Will will,
			String username, byte[] password) {
		this(protocolLevel, cleanSession, keepAliveSeconds, clientId, will, username, password, PacketProperties.NONE);
	}

	/**
	 * The protocol name the level implies: {@code MQIsdp} for 3, {@code MQTT} for 4 and
	 * 5.
	 */
	public String protocolName() {
		return (this.protocolLevel == MQTT_3_1) ? "MQIsdp" : "MQTT";
	}

	@Override
	public int type() {
		return 1;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Connect that && this.protocolLevel == that.protocolLevel
				&& this.cleanSession == that.cleanSession && this.keepAliveSeconds == that.keepAliveSeconds
				&& this.clientId.equals(that.clientId) && Objects.equals(this.will, that.will)
				&& Objects.equals(this.username, that.username) && Arrays.equals(this.password, that.password)
				&& this.properties.equals(that.properties);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.protocolLevel, this.cleanSession, this.keepAliveSeconds, this.clientId, this.will,
				this.username, Arrays.hashCode(this.password), this.properties);
	}

	/** Never shows the password. */
	@Override
	public String toString() {
		return "Connect[level=" + this.protocolLevel + ", cleanSession=" + this.cleanSession + ", keepAlive="
				+ this.keepAliveSeconds + ", clientId=" + this.clientId + ", will=" + this.will + ", username="
				+ this.username + ", password=" + ((this.password != null) ? "******" : null)
				+ (this.properties.isEmpty() ? "" : ", " + this.properties) + "]";
	}

}
