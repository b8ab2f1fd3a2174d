package io.umqtt.core.netty;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.umqtt.core.codec.PacketDecoder;

/**
 * Builds a client channel's pipeline: TLS when asked for (with host name verification
 * unless turned off), the decoder, the encoder, and the handler that reports to the
 * client.
 */
public final class MqttChannelInitializer extends ChannelInitializer<SocketChannel> {

	private final ConnectionEvents events;

	private final PacketDecoder decoder;

	private final MqttEncoderHandler encoder;

	private final SslContext sslContext;

	private final boolean verifyHostname;

	private final String host;

	private final int port;

	/**
	 * Creates a new {@code MqttChannelInitializer}.
	 * @param events where the channel reports to
	 * @param decoder the client's packet decoder: one per client, whose channels all run
	 * on one event loop
	 * @param encoder the encoder for this one channel, which the connection also writes
	 * to directly
	 * @param sslContext the TLS context, or {@code null} for plain TCP
	 * @param verifyHostname whether the server certificate must match {@code host}
	 * @param host the server host, for SNI and host name verification
	 * @param port the server port
	 */
	public MqttChannelInitializer(ConnectionEvents events, PacketDecoder decoder, MqttEncoderHandler encoder,
			SslContext sslContext, boolean verifyHostname, String host, int port) {
		this.events = events;
		this.decoder = decoder;
		this.encoder = encoder;
		this.sslContext = sslContext;
		this.verifyHostname = verifyHostname;
		this.host = host;
		this.port = port;
	}

	@Override
	protected void initChannel(SocketChannel channel) {
		ChannelPipeline pipeline = channel.pipeline();
		if (this.sslContext != null) {
			SslHandler ssl = this.sslContext.newHandler(channel.alloc(), this.host, this.port);
			if (this.verifyHostname) {
				// a context built from a JDK SSLContext does not verify host names by
				// itself; turning
				// verification off is the context's choice (SslParams), as the JDK
				// ignores null here
				SSLEngine engine = ssl.engine();
				SSLParameters parameters = engine.getSSLParameters();
				parameters.setEndpointIdentificationAlgorithm("HTTPS");
				engine.setSSLParameters(parameters);
			}
			pipeline.addLast("tls", ssl);
		}
		pipeline.addLast("decoder", new MqttDecoderHandler(this.decoder, this.events));
		pipeline.addLast("encoder", this.encoder);
		pipeline.addLast("connection", new ConnectionHandler(this.events, this.sslContext != null));
	}

}
