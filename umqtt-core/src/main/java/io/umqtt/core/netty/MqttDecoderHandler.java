package io.umqtt.core.netty;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.packet.Packet;

/**
 * Turns the bytes read from the socket into packets with {@link PacketDecoder}. Netty keeps the
 * bytes of an incomplete packet until the rest arrives; a malformed packet surfaces as an
 * exception in the pipeline and the connection is closed. When the client pauses reading for
 * backpressure, what was already read is still decoded: at most one socket read's worth.
 */
public final class MqttDecoderHandler extends ByteToMessageDecoder {

	private final PacketDecoder decoder;

	public MqttDecoderHandler(PacketDecoder decoder) {
		this.decoder = decoder;
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		Packet packet;
		while ((packet = this.decoder.decode(in)) != null) {
			out.add(packet);
		}
	}

}
