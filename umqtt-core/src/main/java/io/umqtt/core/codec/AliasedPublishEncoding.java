package io.umqtt.core.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.umqtt.core.packet.PacketProperties;

/**
 * An MQTT 5 PUBLISH with a Topic Alias the encoder adds to the message's own properties,
 * written without building new properties for it: the first PUBLISH of a topic carries
 * the topic and its new alias, later ones an empty topic and the alias (section 3.3.2.3.4
 * of the specification). An alias is given as an int: its negation when it is sent with
 * the topic, the alias itself when it stands for the topic.
 */
public final class AliasedPublishEncoding {

	private AliasedPublishEncoding() {
	}

	/**
	 * Appends the PUBLISH of an array payload to {@code target}, as
	 * {@link PacketEncoder#encodePublish(String, int, boolean, boolean, int, PacketProperties, byte[], ByteBuf)}
	 * on 5.
	 * @param topic the topic name
	 * @param alias the alias: negative to send it with the topic, positive to send it
	 * alone
	 * @param qos 0, 1 or 2
	 * @param retain the RETAIN flag
	 * @param dup the DUP flag
	 * @param packetId the packet identifier (QoS 1 and 2)
	 * @param properties the message's PUBLISH properties, without a Topic Alias
	 * @param payload the payload, copied
	 * @param target the buffer written to
	 */
	public static void encodePublish(String topic, int alias, int qos, boolean retain, boolean dup, int packetId,
			PacketProperties properties, byte[] payload, ByteBuf target) {
		checkAlias(alias);
		Mqtt5Encoding.encodePublish(topic, alias, qos, retain, dup, packetId, properties, payload, target);
	}

	/**
	 * The header of such a PUBLISH in a buffer of its exact size, for a payload written
	 * after it.
	 * @param topic the topic name
	 * @param alias the alias: negative to send it with the topic, positive to send it
	 * alone
	 * @param qos 0, 1 or 2
	 * @param retain the RETAIN flag
	 * @param dup the DUP flag
	 * @param packetId the packet identifier (QoS 1 and 2)
	 * @param properties the message's PUBLISH properties, without a Topic Alias
	 * @param payloadLength the length of the payload that follows
	 * @param allocator where the buffer comes from
	 * @return the header, owned by the caller
	 */
	public static ByteBuf publishHeader(String topic, int alias, int qos, boolean retain, boolean dup, int packetId,
			PacketProperties properties, int payloadLength, ByteBufAllocator allocator) {
		checkAlias(alias);
		return Mqtt5Encoding.publishHeader(topic, alias, qos, retain, dup, packetId, properties, payloadLength,
				allocator);
	}

	private static void checkAlias(int alias) {
		// a Topic Alias is 1 to 65,535, never 0 [MQTT-3.3.2-8]
		if (alias == 0 || alias < -65_535 || alias > 65_535) {
			throw new IllegalArgumentException("Topic Alias " + Math.abs(alias) + " is not 1 to 65,535");
		}
	}

}
