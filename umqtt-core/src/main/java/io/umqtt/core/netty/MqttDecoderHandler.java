package io.umqtt.core.netty;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.packet.Packet;

/**
 * Turns the bytes read from the socket into packets with {@link PacketDecoder}. Netty
 * keeps the bytes of an incomplete packet until the rest arrives; a malformed packet
 * surfaces as an exception in the pipeline and the connection is closed.
 * <p>
 * Packets are decoded and passed on one at a time, and before each the client is asked
 * whether it {@linkplain ConnectionEvents#acceptsPackets accepts} one more: when its
 * inbound queue is at its hard bound, decoding stops at a packet boundary and what was
 * read stays here (at most one socket read's worth, as reading is paused too) until
 * {@link #decodeHeld(Channel)}.
 */
public final class MqttDecoderHandler extends ByteToMessageDecoder {

	private final PacketDecoder decoder;

	private final ConnectionEvents events;

	/** A decoder that always decodes everything read. */
	public MqttDecoderHandler(PacketDecoder decoder) {
		this(decoder, null);
	}

	/**
	 * Creates a new {@code MqttDecoderHandler}.
	 * @param decoder the packet decoder
	 * @param events asked before each packet whether it is accepted; {@code null} accepts
	 * all
	 */
	public MqttDecoderHandler(PacketDecoder decoder, ConnectionEvents events) {
		this.decoder = decoder;
		this.events = events;
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		if (!accepting(ctx)) {
			return;
		}
		// one packet per call: it is passed on before the next is decoded, so that the
		// next
		// question about acceptance sees what this one caused
		Packet packet = this.decoder.decode(in);
		if (packet != null) {
			out.add(packet);
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
		if (!accepting(ctx)) {
			// not ctx.read(), which the superclass asks for when nothing was decoded: the
			// bytes
			// would pile up here
			discardSomeReadBytes();
			ctx.fireChannelReadComplete();
			return;
		}
		super.channelReadComplete(ctx);
	}

	private boolean accepting(ChannelHandlerContext ctx) {
		return this.events == null || this.events.acceptsPackets(ctx.channel());
	}

	/**
	 * Decodes what was read while packets were not accepted. On the channel's event loop;
	 * a malformed packet goes to the pipeline's exception handling, as when read.
	 * @param channel the channel whose pipeline holds this handler
	 */
	public void decodeHeld(Channel channel) {
		ChannelHandlerContext ctx = channel.pipeline().context(this);
		if (ctx == null || !internalBuffer().isReadable()) {
			return;
		}
		try {
			channelRead(ctx, Unpooled.EMPTY_BUFFER);
			channelReadComplete(ctx);
		}
		catch (Exception ex) {
			ctx.fireExceptionCaught(ex);
		}
	}

}
