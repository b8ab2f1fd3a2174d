package io.umqtt.core.delivery;

import io.umqtt.core.LastWill;
import io.umqtt.core.MqttProperties;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PacketPropertiesBuilder;
import io.umqtt.core.packet.Will;

/**
 * Turns the application's {@link LastWill} into the will of CONNECT: on MQTT 5 with its
 * Will Delay Interval and will properties, on 3.1 and 3.1.1 refused when it has either.
 */
public final class LastWills {

	private LastWills() {
	}

	/**
	 * Refuses a will that the protocol level cannot carry.
	 * @param will the will
	 * @param protocolLevel 3, 4 or 5
	 * @throws IllegalArgumentException when the will has a delay or properties and the
	 * level is not 5
	 */
	public static void check(LastWill will, int protocolLevel) {
		if (protocolLevel < 5 && (!will.delay().isZero() || !will.properties().isEmpty())) {
			throw new IllegalArgumentException("A last will with a delay or properties needs MQTT 5 (version(5)); "
					+ "this client speaks protocol level " + protocolLevel + ": " + will);
		}
	}

	/**
	 * The CONNECT will for {@code will}.
	 * @param will the will, already {@linkplain #check checked} for the level
	 * @param protocolLevel 3, 4 or 5
	 * @return the packet's will
	 */
	public static Will toPacket(LastWill will, int protocolLevel) {
		check(will, protocolLevel);
		if (protocolLevel < 5) {
			return new Will(will.topic(), will.message(), will.qos(), will.retain());
		}
		return new Will(will.topic(), will.message(), will.qos(), will.retain(), properties(will));
	}

	private static PacketProperties properties(LastWill will) {
		MqttProperties source = will.properties();
		long delay = will.delay().getSeconds();
		if (delay == 0 && source.isEmpty()) {
			return PacketProperties.NONE;
		}
		PacketPropertiesBuilder builder = MessageProperties.builder(source);
		if (delay > 0) {
			builder.willDelayInterval(delay);
		}
		return builder.build();
	}

}
