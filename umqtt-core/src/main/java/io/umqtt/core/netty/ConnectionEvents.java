package io.umqtt.core.netty;

import io.netty.channel.Channel;
import io.umqtt.core.packet.Packet;

/**
 * What a channel reports to the client that owns it. Every call comes on the channel's
 * event loop.
 */
public interface ConnectionEvents {

	/**
	 * The channel is ready for CONNECT: TCP connected and, with TLS, the handshake done.
	 */
	void onReady(Channel channel);

	/**
	 * A packet arrived. What it causes is written, and flushed at
	 * {@link #onReadComplete}.
	 */
	void onPacket(Channel channel, Packet packet);

	/**
	 * Whether the next packet may be decoded now. While not, the bytes read stay in the
	 * decoder (reading is paused too) until {@link MqttDecoderHandler#decodeHeld} is
	 * called.
	 */
	default boolean acceptsPackets(Channel channel) {
		return true;
	}

	/**
	 * The packets of one read have all been passed on: time for one flush of what they
	 * caused.
	 */
	void onReadComplete(Channel channel);

	/** The channel failed; it is being closed. */
	void onError(Channel channel, Throwable cause);

	/** The channel is closed. */
	void onClosed(Channel channel);

	/** The channel became writable again after its outbound buffer filled. */
	void onWritable(Channel channel);

}
