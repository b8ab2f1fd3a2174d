package io.netty.handler.codec.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Reaches Netty codec-mqtt's package-private encoder entry point, so the benchmarks can time its
 * codec alone, as they time umqtt's. Benchmark code only.
 */
public final class NettyMqttCodecAccess {

	private NettyMqttCodecAccess() {
	}

	/** {@code MqttEncoder.doEncode}: the whole packet in one buffer (payload copied into it). */
	public static ByteBuf encode(ChannelHandlerContext ctx, MqttMessage message) {
		return MqttEncoder.doEncode(ctx, message);
	}

}
