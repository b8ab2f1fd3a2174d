package io.umqtt.core.packet;

import java.util.List;
import java.util.Objects;

/**
 * UNSUBSCRIBE, client to server.
 *
 * @param packetId packet identifier
 * @param filters one or more topic filters [MQTT-3.10.3-2]
 * @param properties the MQTT 5 properties (user properties);
 * {@link PacketProperties#NONE} on 3.1.1
 */
public record Unsubscribe(int packetId, List<String> filters, PacketProperties properties) implements Packet {

	public Unsubscribe {
		PacketIds.check(packetId);
		filters = List.copyOf(filters);
		if (filters.isEmpty()) {
			throw new IllegalArgumentException("UNSUBSCRIBE needs at least one topic filter [MQTT-3.10.3-2]");
		}
		Objects.requireNonNull(properties, "properties");
	}

	/** An UNSUBSCRIBE without properties, as MQTT 3.1.1 sends it. */
	public Unsubscribe(int packetId, List<String> filters) {
		this(packetId, filters, PacketProperties.NONE);
	}

	@Override
	public int type() {
		return 10;
	}

	/** As on 3.1.1 when there are no properties. */
	@Override
	public String toString() {
		return "Unsubscribe[packetId=" + this.packetId + ", filters=" + this.filters
				+ (this.properties.isEmpty() ? "" : ", " + this.properties) + "]";
	}

}
