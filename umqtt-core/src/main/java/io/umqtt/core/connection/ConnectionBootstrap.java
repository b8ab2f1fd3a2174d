package io.umqtt.core.connection;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.umqtt.core.SslParams;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.netty.ConnectionEvents;
import io.umqtt.core.netty.MqttChannelInitializer;
import io.umqtt.core.netty.MqttEncoderHandler;
import io.umqtt.core.netty.Transport;

/**
 * Opens the TCP (and TLS) connections of one client on its event loop, with the TLS
 * material of the moment: {@link #reload} replaces it for the next connection. Tests
 * replace {@link #connect} to run a connection on an {@code EmbeddedChannel}.
 */
class ConnectionBootstrap {

	private final ClientConfig config;

	private final EventLoop loop;

	final PacketDecoder decoder;

	private volatile SslContext sslContext;

	private volatile boolean verifyHostname;

	ConnectionBootstrap(ClientConfig config, EventLoop loop, PacketDecoder decoder) {
		this.config = config;
		this.loop = loop;
		this.decoder = decoder;
		SslParams params = config.sslParams();
		this.sslContext = config.ssl() ? ((params != null) ? params : SslParams.defaults()).toNettyContext() : null;
		this.verifyHostname = params == null || params.verifyHostname();
	}

	/**
	 * Starts a connection whose events go to {@code events}, its writes through
	 * {@code encoder}.
	 */
	ChannelFuture connect(ConnectionEvents events, MqttEncoderHandler encoder) {
		Bootstrap bootstrap = new Bootstrap().group(this.loop)
			.channel(Transport.channelType())
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.SO_KEEPALIVE, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, this.config.connectTimeout().toMillis()))
			.option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
			.handler(new MqttChannelInitializer(events, this.decoder, encoder, this.sslContext, this.verifyHostname,
					this.config.server(), this.config.port()));
		return bootstrap.connect(this.config.server(), this.config.port());
	}

	/**
	 * Uses new TLS material from the next connection on. The context is built in the
	 * caller's thread, so bad material fails there.
	 * @return a task to run on the event loop that swaps it in
	 */
	Runnable reload(SslParams params) {
		SslContext reloaded = params.toNettyContext();
		return () -> {
			this.sslContext = reloaded;
			this.verifyHostname = params.verifyHostname();
		};
	}

}
