package io.netty.handler.codec.mqtt;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Reaches Netty codec-mqtt's package-private encoder entry point and its decoder's
 * protected {@code decode}, so the benchmarks can time its codec alone, as they time
 * umqtt's. Benchmark code only.
 */
public final class NettyMqttCodecAccess {

	private NettyMqttCodecAccess() {
	}

	/**
	 * {@code MqttEncoder.doEncode}: the whole packet in one buffer (payload copied into
	 * it).
	 */
	public static ByteBuf encode(ChannelHandlerContext ctx, MqttMessage message) {
		return MqttEncoder.doEncode(ctx, message);
	}

	/**
	 * {@code MqttDecoder.decode} called directly, without {@code ReplayingDecoder}'s
	 * replay buffer around the input: given a whole packet, it runs its three states in
	 * one call.
	 * @param ctx the decoder's own context (it reads the protocol version from the
	 * channel)
	 */
	public static void decode(MqttDecoder decoder, ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
			throws Exception {
		decoder.decode(ctx, in, out);
	}

	/**
	 * Sets the protocol version codec-mqtt reads from the channel, as its decoder does on
	 * reading a CONNECT: {@code MqttEncoder} and {@code MqttDecoder} write and read MQTT
	 * 5 properties only when it is {@code MQTT_5}.
	 * @param ctx a context of the channel
	 * @param version the version
	 */
	public static void setVersion(ChannelHandlerContext ctx, MqttVersion version) {
		MqttCodecUtil.setMqttVersion(ctx, version);
	}

}
