package io.umqtt.benchmarks.load;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.netty.MqttDecoderHandler;
import io.umqtt.core.netty.MqttEncoderHandler;

/**
 * The null broker's first handler on a connection: reads the protocol level from the
 * CONNECT, then puts the decoder and encoder of that level (3.1 / 3.1.1 or MQTT 5) in its
 * place and hands them every byte read so far.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		int start = in.readerIndex();
		int index = start + 1;
		// the remaining length: one to four bytes
		while (true) {
			if (index >= in.writerIndex()) {
				return;
			}
			if ((in.getUnsignedByte(index++) & 0x80) == 0) {
				break;
			}
			if (index - start > 4) {
				throw new IllegalStateException("Malformed remaining length");
			}
		}
		if (index + 2 > in.writerIndex()) {
			return;
		}
		// the protocol name ("MQTT" or "MQIsdp"), then the level
		int levelIndex = index + 2 + in.getUnsignedShort(index);
		if (levelIndex >= in.writerIndex()) {
			return;
		}
		int level = in.getUnsignedByte(levelIndex);
		ctx.pipeline()
			.addAfter(ctx.name(), "decoder",
					new MqttDecoderHandler(new PacketDecoder(Integer.MAX_VALUE, (level == 5) ? 5 : 4)))
			.addAfter("decoder", "encoder",
					new MqttEncoderHandler((level == 5) ? PacketEncoder.MQTT_5 : PacketEncoder.INSTANCE));
		// removing this decoder passes what it holds to the new one
		ctx.pipeline().remove(this);
	}

}
