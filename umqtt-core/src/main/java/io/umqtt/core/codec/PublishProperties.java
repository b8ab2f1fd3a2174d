package io.umqtt.core.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.umqtt.core.packet.PacketProperties;

/**
 * The properties of an MQTT 5 PUBLISH on their own: their encoded size, for the checks a
 * publisher makes before anything is sent, and their bytes as the wire has them, for a
 * session store that keeps them with a message in flight.
 */
public final class PublishProperties {

	private static final int PUBLISH = 3;

	private PublishProperties() {
	}

	/**
	 * How many bytes the properties add to a PUBLISH, their length included.
	 * @param topic the topic name the PUBLISH carries (empty only with a Topic Alias)
	 * @param properties the properties
	 * @return the size, 1 for none (the property length 0)
	 * @throws IllegalArgumentException when a property may not be on a PUBLISH or its
	 * value cannot be encoded
	 */
	public static int encodedSize(String topic, PacketProperties properties) {
		return PropertyCodec.encodedSize(Mqtt5Encoding.publishPropertiesSize(topic, properties));
	}

	/**
	 * The properties as a PUBLISH carries them: their length, then each property.
	 * @param properties the properties
	 * @return the bytes
	 */
	public static byte[] toBytes(PacketProperties properties) {
		int size = PropertyCodec.size(properties, PUBLISH);
		ByteBuf out = Unpooled.buffer(PropertyCodec.encodedSize(size));
		PropertyCodec.write(out, properties, size);
		byte[] bytes = new byte[out.readableBytes()];
		out.readBytes(bytes);
		return bytes;
	}

	/**
	 * Reads what {@link #toBytes} wrote.
	 * @param bytes the bytes
	 * @return the properties
	 * @throws MalformedPacketException when they are not PUBLISH properties
	 */
	public static PacketProperties fromBytes(byte[] bytes) {
		ByteBuf in = Unpooled.wrappedBuffer(bytes);
		PacketProperties properties = PropertyCodec.read(in, PUBLISH);
		if (in.isReadable()) {
			throw new MalformedPacketException(in.readableBytes() + " bytes after the PUBLISH properties");
		}
		return properties;
	}

}
