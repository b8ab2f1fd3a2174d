package io.umqtt.core.netty;

import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PubAck;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MqttDecoderHandlerTests {

	@Test
	void stopsAtAPacketBoundaryWhileNotAcceptedAndDecodesTheRestLater() {
		AtomicBoolean accepting = new AtomicBoolean(true);
		ConnectionEvents events = new ConnectionEvents() {
			@Override
			public boolean acceptsPackets(Channel channel) {
				return accepting.get();
			}

			@Override
			public void onReady(Channel channel) {
			}

			@Override
			public void onPacket(Channel channel, Packet packet) {
			}

			@Override
			public void onReadComplete(Channel channel) {
			}

			@Override
			public void onError(Channel channel, Throwable cause) {
			}

			@Override
			public void onClosed(Channel channel) {
			}

			@Override
			public void onWritable(Channel channel) {
			}
		};
		MqttDecoderHandler handler = new MqttDecoderHandler(new PacketDecoder(), events);
		EmbeddedChannel channel = new EmbeddedChannel(handler);
		// stop accepting once the first packet has been passed on
		channel.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
			@Override
			public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
				accepting.set(false);
				ctx.fireChannelRead(msg);
			}
		});
		channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { 0x40, 0x02, 0x00, 0x01, /*
																							 * PUBACK
																							 * 1
																							 */
				0x40, 0x02, 0x00, 0x02, /* PUBACK 2 */ 0x40, 0x02, 0x00,
				0x03 /* PUBACK 3 */ }));
		assertThat((Object) channel.readInbound()).isEqualTo(new PubAck(1));
		assertThat((Object) channel.readInbound()).isNull();
		accepting.set(true);
		handler.decodeHeld(channel);
		assertThat((Object) channel.readInbound()).isEqualTo(new PubAck(2));
		assertThat((Object) channel.readInbound()).isNull();
		accepting.set(true);
		handler.decodeHeld(channel);
		assertThat((Object) channel.readInbound()).isEqualTo(new PubAck(3));
		assertThat(channel.finish()).isFalse();
	}

}
