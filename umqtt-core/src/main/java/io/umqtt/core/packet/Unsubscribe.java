package io.umqtt.core.packet;

import java.util.List;

/**
 * UNSUBSCRIBE, client to server.
 *
 * @param packetId packet identifier
 * @param filters one or more topic filters [MQTT-3.10.3-2]
 */
public record Unsubscribe(int packetId, List<String> filters) implements Packet {

	public Unsubscribe {
		PacketIds.check(packetId);
		filters = List.copyOf(filters);
		if (filters.isEmpty()) {
			throw new IllegalArgumentException("UNSUBSCRIBE needs at least one topic filter [MQTT-3.10.3-2]");
		}
	}

	@Override
	public int type() {
		return 10;
	}

}
