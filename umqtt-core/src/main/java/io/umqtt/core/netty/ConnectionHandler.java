package io.umqtt.core.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.umqtt.core.packet.Packet;

/**
 * The last inbound handler: passes what happens on the channel to its
 * {@link ConnectionEvents}.
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter {

	private final ConnectionEvents events;

	private final boolean tls;

	public ConnectionHandler(ConnectionEvents events, boolean tls) {
		this.events = events;
		this.tls = tls;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		if (!this.tls) {
			this.events.onReady(ctx.channel());
		}
		ctx.fireChannelActive();
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event instanceof SslHandshakeCompletionEvent handshake) {
			if (handshake.isSuccess()) {
				this.events.onReady(ctx.channel());
			}
			else {
				this.events.onError(ctx.channel(), handshake.cause());
				ctx.close();
			}
			return;
		}
		ctx.fireUserEventTriggered(event);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		this.events.onPacket(ctx.channel(), (Packet) msg);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		this.events.onReadComplete(ctx.channel());
		ctx.fireChannelReadComplete();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		this.events.onClosed(ctx.channel());
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		if (ctx.channel().isWritable()) {
			this.events.onWritable(ctx.channel());
		}
		ctx.fireChannelWritabilityChanged();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		Throwable reported = (cause instanceof DecoderException && cause.getCause() != null) ? cause.getCause() : cause;
		this.events.onError(ctx.channel(), reported);
		ctx.close();
	}

}
