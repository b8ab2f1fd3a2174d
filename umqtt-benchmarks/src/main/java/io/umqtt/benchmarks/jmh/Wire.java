package io.umqtt.benchmarks.jmh;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.packet.Packet;

/**
 * Inputs shared by the codec benchmarks, so both codecs see the same bytes.
 */
final class Wire {

	static final String TOPIC = "sensors/device-42/temperature";

	private Wire() {
	}

	static byte[] payload(int size) {
		byte[] payload = new byte[size];
		for (int i = 0; i < size; i++) {
			payload[i] = (byte) i;
		}
		return payload;
	}

	/**
	 * The bytes umqtt's encoder writes for {@code packet}, as one heap buffer's content.
	 */
	static byte[] encoded(Packet packet) {
		return encoded(packet, PacketEncoder.INSTANCE);
	}

	/**
	 * The bytes {@code encoder} writes for {@code packet}, as one heap buffer's content.
	 */
	static byte[] encoded(Packet packet, PacketEncoder encoder) {
		List<Object> out = new ArrayList<>();
		encoder.encode(packet, ByteBufAllocator.DEFAULT, out);
		ByteBuf joined = Unpooled.buffer();
		for (Object part : out) {
			joined.writeBytes((ByteBuf) part);
			((ByteBuf) part).release();
		}
		byte[] bytes = new byte[joined.readableBytes()];
		joined.readBytes(bytes);
		return bytes;
	}

}
