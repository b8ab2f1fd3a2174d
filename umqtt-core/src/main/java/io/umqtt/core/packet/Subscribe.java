package io.umqtt.core.packet;

import java.util.List;

/**
 * SUBSCRIBE, client to server.
 *
 * @param packetId packet identifier
 * @param subscriptions one or more filters with their QoS [MQTT-3.8.3-3]
 */
public record Subscribe(int packetId, List<Subscription> subscriptions) implements Packet {

	public Subscribe {
		PacketIds.check(packetId);
		subscriptions = List.copyOf(subscriptions);
		if (subscriptions.isEmpty()) {
			throw new IllegalArgumentException("SUBSCRIBE needs at least one topic filter [MQTT-3.8.3-3]");
		}
	}

	@Override
	public int type() {
		return 8;
	}

}
