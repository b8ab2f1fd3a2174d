package io.umqtt.core.netty;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.Publish;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How packets leave the pipeline: small ones share one buffer per batch, large or direct payloads
 * go on their own, uncopied, and order and promises are kept.
 */
class MqttEncoderHandlerTests {

	/** Counts the buffers the encoder writes, as it writes them, before any flush. */
	private final AtomicInteger writes = new AtomicInteger();

	private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
			MqttEncoderHandlerTests.this.writes.incrementAndGet();
			ctx.write(msg, promise);
		}
	}, new MqttEncoderHandler());

	@Test
	void smallPacketsWrittenBeforeAFlushGoOutAsOneBuffer() {
		this.channel.write(new PubAck(1));
		this.channel.write(publish(2, Unpooled.wrappedBuffer(new byte[64])));
		this.channel.write(new PubRec(3));
		assertThat(this.writes).hasValue(0);
		this.channel.flush();
		List<ByteBuf> written = drain();
		assertThat(written).hasSize(1);
		assertThat(decodeAll(written)).extracting(Packet::type).containsExactly(4, 3, 5);
		release(written);
	}

	@Test
	void aDirectPayloadIsWrittenUncopiedAfterTheBatchAheadOfIt() {
		ByteBuf direct = Unpooled.directBuffer(100).writeZero(100);
		this.channel.write(new PubAck(1));
		this.channel.write(publish(2, direct));
		this.channel.write(new PubAck(3));
		this.channel.flush();
		List<ByteBuf> written = drain();
		assertThat(written).hasSize(4);
		assertThat(written.get(2).unwrap()).isSameAs(direct);
		assertThat(decodeAll(written)).extracting(Packet::type).containsExactly(4, 3, 4);
		release(written);
	}

	@Test
	void aLargeHeapPayloadGoesOnItsOwnAndABigBatchDoesNotWaitForTheFlush() {
		byte[] large = new byte[MqttEncoderHandler.INLINE_PAYLOAD_MAX + 1];
		this.channel.write(publish(1, Unpooled.wrappedBuffer(large)));
		int packets = 0;
		assertThat(this.writes).hasValue(1);
		while (this.writes.get() < 2) {
			this.channel.write(new PubAck(++packets));
			assertThat(packets).isLessThanOrEqualTo(MqttEncoderHandler.BATCH_BYTES / 4);
		}
		this.channel.flush();
		List<ByteBuf> written = drain();
		assertThat(written.get(0).readableBytes()).isGreaterThan(large.length);
		assertThat(written.get(1).readableBytes()).isEqualTo(MqttEncoderHandler.BATCH_BYTES);
		assertThat(decodeAll(written)).hasSize(1 + packets);
		release(written);
	}

	@Test
	void aPromiseCompletesWhenItsBatchIsWritten() {
		ChannelPromise promise = this.channel.newPromise();
		this.channel.write(new PubAck(1), promise);
		assertThat(promise.isDone()).isFalse();
		this.channel.flush();
		assertThat(promise.isSuccess()).isTrue();
		release(drain());
	}

	@Test
	void closingDropsTheUnflushedBatchAndFailsItsPromises() {
		ByteBuf payload = Unpooled.wrappedBuffer(new byte[10]);
		ChannelPromise promise = this.channel.newPromise();
		this.channel.write(publish(1, payload), promise);
		this.channel.close();
		assertThat(promise.cause()).isInstanceOf(ClosedChannelException.class);
		assertThat(payload.refCnt()).isZero();
		assertThat(this.writes).hasValue(0);
	}

	@Test
	void aPacketThatCannotBeEncodedFailsAloneAndTheBatchGoesOn() {
		this.channel.write(new PubAck(1));
		ChannelPromise failed = this.channel.newPromise();
		this.channel.write(new Publish("bad\uD800", 0, false, false, 0, Unpooled.wrappedBuffer(new byte[3])), failed);
		this.channel.write(new PubAck(2));
		this.channel.flush();
		assertThat(failed.cause()).isInstanceOf(IllegalArgumentException.class);
		List<ByteBuf> written = drain();
		assertThat(decodeAll(written)).containsExactly(new PubAck(1), new PubAck(2));
		release(written);
	}

	private static Publish publish(int packetId, ByteBuf payload) {
		return new Publish("a/b", 1, false, false, packetId, payload);
	}

	private List<ByteBuf> drain() {
		List<ByteBuf> written = new ArrayList<>();
		ByteBuf buffer;
		while ((buffer = this.channel.readOutbound()) != null) {
			written.add(buffer);
		}
		return written;
	}

	private static List<Packet> decodeAll(List<ByteBuf> written) {
		ByteBuf joined = Unpooled.buffer();
		written.forEach((buffer) -> joined.writeBytes(buffer, buffer.readerIndex(), buffer.readableBytes()));
		List<Packet> packets = new PacketDecoder().decodeAll(joined);
		assertThat(joined.isReadable()).as("bytes left: %s", ByteBufUtil.hexDump(joined)).isFalse();
		packets.forEach((packet) -> {
			if (packet instanceof Publish publish) {
				publish.payload().release();
			}
		});
		return packets;
	}

	private static void release(List<ByteBuf> written) {
		written.forEach(ByteBuf::release);
	}

}
