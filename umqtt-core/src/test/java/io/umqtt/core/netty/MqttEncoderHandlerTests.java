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
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.session.Session;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How packets leave the pipeline: small ones share one buffer per batch, large or direct
 * payloads go on their own, uncopied, and order and promises are kept.
 */
class MqttEncoderHandlerTests {

	/** Counts the buffers the encoder writes, as it writes them, before any flush. */
	private final AtomicInteger writes = new AtomicInteger();

	private final MqttEncoderHandler encoder = new MqttEncoderHandler();

	private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
			MqttEncoderHandlerTests.this.writes.incrementAndGet();
			ctx.write(msg, promise);
		}
	}, this.encoder);

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
		// the same memory, whichever wrapper leak detection may have put around it
		assertThat(root(written.get(2))).isSameAs(root(direct));
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

	@Test
	void aMessageIsEncodedFromItsFieldsToTheSameBytesAsItsRecords() {
		Session session = new Session(10);
		session.onConnected(false, new ArrayList<>());
		for (int length : new int[] { 0, 64, MqttEncoderHandler.INLINE_PAYLOAD_MAX,
				MqttEncoderHandler.INLINE_PAYLOAD_MAX + 1, 100_000 }) {
			for (int qos = 0; qos <= 2; qos++) {
				byte[] payload = new byte[length];
				java.util.Arrays.fill(payload, (byte) (length + qos));
				OutgoingMessage message = new OutgoingMessage("sensors/\u00e9t\u00e9/" + qos, qos, qos == 1, payload);
				List<io.umqtt.core.session.SessionOutput> out = new ArrayList<>();
				session.publish(message, out);
				assertThat(out).containsExactly(message);
				this.channel.write(message);
				this.channel.flush();
				List<ByteBuf> fromFields = drain();
				this.channel.write(message.toPublish(false));
				this.channel.flush();
				List<ByteBuf> fromRecord = drain();
				assertThat(joined(fromFields)).as("%d bytes at QoS %d", length, qos).isEqualTo(joined(fromRecord));
				assertThat(fromFields).as("buffers for %d bytes", length)
					.hasSize((length > MqttEncoderHandler.INLINE_PAYLOAD_MAX) ? 2 : 1);
				assertThat(decodeAll(fromFields)).singleElement()
					.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.type(Publish.class))
					.extracting(Publish::topic, Publish::qos, Publish::retain, Publish::dup, Publish::packetId)
					.containsExactly(message.topic(), qos, qos == 1, false, message.packetId());
				release(fromFields);
				release(fromRecord);
				if (qos == 2) {
					out.clear();
					session.onPubRec(new PubRec(message.packetId()), out);
					assertThat(out).containsExactly(message);
					this.channel.writeAndFlush(message);
					List<ByteBuf> released = drain();
					assertThat(decodeAll(released)).containsExactly(new PubRel(message.packetId()));
					release(released);
				}
			}
		}
	}

	@Test
	void appendWritesAsTheChannelWouldAndDeclinesOutsideAPipeline() {
		assertThat(this.encoder.append(new PubAck(1))).isTrue();
		assertThat(this.encoder.append(publish(2, Unpooled.wrappedBuffer(new byte[8])))).isTrue();
		assertThat(this.writes).hasValue(0);
		this.channel.flush();
		List<ByteBuf> written = drain();
		assertThat(written).hasSize(1);
		assertThat(decodeAll(written)).extracting(Packet::type).containsExactly(4, 3);
		release(written);
		assertThat(new MqttEncoderHandler().append(new PubAck(3))).isFalse();
		this.channel.pipeline().remove(this.encoder);
		assertThat(this.encoder.append(new PubAck(4))).isFalse();
	}

	private static byte[] joined(List<ByteBuf> written) {
		ByteBuf joined = Unpooled.buffer();
		written.forEach((buffer) -> joined.writeBytes(buffer, buffer.readerIndex(), buffer.readableBytes()));
		return ByteBufUtil.getBytes(joined);
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

	private static ByteBuf root(ByteBuf buffer) {
		ByteBuf root = buffer;
		while (root.unwrap() != null) {
			root = root.unwrap();
		}
		return root;
	}

}
