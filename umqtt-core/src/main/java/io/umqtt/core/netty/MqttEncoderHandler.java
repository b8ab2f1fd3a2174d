package io.umqtt.core.netty;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.packet.Packet;

/**
 * Writes packets as the buffers {@link PacketEncoder} makes: one exact-size buffer, or a header
 * and the untouched payload for a PUBLISH. Nothing is flushed here; the connection flushes once
 * per batch.
 */
public final class MqttEncoderHandler extends ChannelOutboundHandlerAdapter {

	/** Reused for every write; only the channel's event loop writes. */
	private final List<Object> buffers = new ArrayList<>(2);

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (!(msg instanceof Packet packet)) {
			ctx.write(msg, promise);
			return;
		}
		try {
			PacketEncoder.INSTANCE.encode(packet, ctx.alloc(), this.buffers);
		}
		catch (RuntimeException ex) {
			this.buffers.forEach((buffer) -> ((ByteBuf) buffer).release());
			this.buffers.clear();
			promise.setFailure(ex);
			return;
		}
		int last = this.buffers.size() - 1;
		for (int i = 0; i < last; i++) {
			ctx.write(this.buffers.get(i), ctx.voidPromise());
		}
		ctx.write(this.buffers.get(last), promise);
		this.buffers.clear();
	}

}
