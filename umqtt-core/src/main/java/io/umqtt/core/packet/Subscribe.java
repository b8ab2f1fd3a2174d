package io.umqtt.core.packet;

import java.util.List;
import java.util.Objects;

/**
 * SUBSCRIBE, client to server.
 *
 * @param packetId packet identifier
 * @param subscriptions one or more filters with their QoS [MQTT-3.8.3-3]
 * @param properties the MQTT 5 properties (a subscription identifier, user properties);
 * {@link PacketProperties#NONE} on 3.1.1
 */
public record Subscribe(int packetId, List<Subscription> subscriptions, PacketProperties properties) implements Packet {

	public Subscribe {
		PacketIds.check(packetId);
		subscriptions = List.copyOf(subscriptions);
		if (subscriptions.isEmpty()) {
			throw new IllegalArgumentException("SUBSCRIBE needs at least one topic filter [MQTT-3.8.3-3]");
		}
		Objects.requireNonNull(properties, "properties");
	}

	/** A SUBSCRIBE without properties, as MQTT 3.1.1 sends it. */
	public Subscribe(int packetId, List<Subscription> subscriptions) {
		this(packetId, subscriptions, PacketProperties.NONE);
	}

	@Override
	public int type() {
		return 8;
	}

	/** As on 3.1.1 when there are no properties. */
	@Override
	public String toString() {
		return "Subscribe[packetId=" + this.packetId + ", subscriptions=" + this.subscriptions
				+ (this.properties.isEmpty() ? "" : ", " + this.properties) + "]";
	}

}
