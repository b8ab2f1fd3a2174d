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

	/**
	 * Encodes a packet by appending it to a buffer that already holds other bytes, the
	 * way the connection batches packets, and returns only the bytes appended.
	 */
	static byte[] encodeAppended(Packet packet) {
		ByteBuf target = Unpooled.buffer(4);
		target.writeBytes(new byte[] { 1, 2, 3 });
		PacketEncoder.INSTANCE.encode(packet, target);
		target.skipBytes(3);
		byte[] result = new byte[target.readableBytes()];
		target.readBytes(result);
		return result;
	}

	/** Encodes a packet as MQTT 5 and joins the buffers the encoder produced. */
	static byte[] encode5(Packet packet) {
		List<Object> out = new ArrayList<>();
		PacketEncoder.MQTT_5.encode(packet, ByteBufAllocator.DEFAULT, out);
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

	/** As {@link #encodeAppended(Packet)}, as MQTT 5. */
	static byte[] encodeAppended5(Packet packet) {
		ByteBuf target = Unpooled.buffer(4);
		target.writeBytes(new byte[] { 1, 2, 3 });
		PacketEncoder.MQTT_5.encode(packet, target);
		target.skipBytes(3);
		byte[] result = new byte[target.readableBytes()];
		target.readBytes(result);
		return result;
	}

	/** Decodes one whole MQTT 5 packet. */
	static Packet decode5(byte[] bytes) {
		ByteBuf in = Unpooled.wrappedBuffer(bytes);
		Packet packet = new PacketDecoder(PacketDecoder.DEFAULT_MAX_PACKET_SIZE, 5).decode(in);
		if (in.isReadable()) {
			throw new AssertionError(in.readableBytes() + " bytes left after decoding " + packet);
		}
		return packet;
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
