package io.umqtt.core.codec;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.umqtt.core.packet.Packet;

/**
 * Byte fixtures for codec tests.
 */
final class Bytes {

	private Bytes() {
	}

	/** Bytes from int literals, so fixtures can carry comments between them. */
	static byte[] bytes(int... values) {
		byte[] out = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			out[i] = (byte) values[i];
		}
		return out;
	}

	static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		byte[] out = new byte[length];
		int offset = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, out, offset, part.length);
			offset += part.length;
		}
		return out;
	}

	/** Encodes a packet and joins the buffers the encoder produced. */
	static byte[] encode(Packet packet) {
		List<Object> out = new ArrayList<>();
		PacketEncoder.INSTANCE.encode(packet, ByteBufAllocator.DEFAULT, out);
		ByteBuf joined = Unpooled.buffer();
		for (Object part : out) {
			ByteBuf buf = (ByteBuf) part;
			joined.writeBytes(buf);
			buf.release();
		}
		byte[] result = new byte[joined.readableBytes()];
		joined.readBytes(result);
		return result;
	}

	static Packet decode(byte[] bytes) {
		ByteBuf in = Unpooled.wrappedBuffer(bytes);
		Packet packet = new PacketDecoder().decode(in);
		if (in.isReadable()) {
			throw new AssertionError(in.readableBytes() + " bytes left after decoding " + packet);
		}
		return packet;
	}

}
