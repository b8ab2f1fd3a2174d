package io.umqtt.core.netty;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.umqtt.core.codec.AliasedPublishEncoding;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.session.Session;

/**
 * Writes packets as bytes. Small packets (acknowledgements, and PUBLISHes whose heap
 * payload is at most {@value #INLINE_PAYLOAD_MAX} bytes) are appended to one pooled
 * buffer that goes out as a single write when it reaches {@value #BATCH_BYTES} bytes or
 * at the next flush: one allocation and one outbound entry for a whole batch instead of
 * one per packet. A larger payload, or a direct one, is written after the batch as its
 * own buffer, never copied, behind an exact-size header. Order is kept. Nothing is
 * flushed here; the connection flushes once per batch of work.
 * <p>
 * Besides {@link Packet}s it takes an {@link OutgoingMessage}, meaning the packet its
 * state calls for (its first PUBLISH, or its PUBREL once released; see
 * {@link Session#publish(OutgoingMessage, List)}), encoded from its fields when written:
 * so it must be written on the event loop, where the session that produced it runs. The
 * connection's own writes can skip the walk through the pipeline with
 * {@link #append(Object)}.
 * <p>
 * A packet written with a promise completes it when the batch holding it is written. Only
 * the channel's event loop calls a handler, so the batch needs no lock.
 */
public final class MqttEncoderHandler extends ChannelOutboundHandlerAdapter {

	/** The size at which a batch is written without waiting for the flush. */
	static final int BATCH_BYTES = 16 * 1024;

	/**
	 * Heap payloads up to this size are copied into the batch; larger ones go on their
	 * own.
	 */
	static final int INLINE_PAYLOAD_MAX = 2048;

	/** Reused for the packets written on their own. */
	private final List<Object> buffers = new ArrayList<>(2);

	/** The promises of the packets in {@link #batch} that are not void. */
	private final List<ChannelPromise> promises = new ArrayList<>();

	/** Packets encoded but not yet written, or {@code null}. */
	private ByteBuf batch;

	/** Whether {@link #batch} holds packets written with a void promise. */
	private boolean batchHasVoidPromises;

	private ChannelHandlerContext context;

	/** The codec of the connection's protocol level. */
	private final PacketEncoder codec;

	/** The connection's outbound topic aliases (MQTT 5), or {@code null} for none. */
	private OutboundTopicAliases aliases;

	/** An MQTT 3.1 / 3.1.1 encoder handler. */
	public MqttEncoderHandler() {
		this(PacketEncoder.INSTANCE);
	}

	/**
	 * An encoder handler writing with {@code codec}.
	 * @param codec {@link PacketEncoder#INSTANCE} or {@link PacketEncoder#MQTT_5}
	 */
	public MqttEncoderHandler(PacketEncoder codec) {
		this.codec = codec;
	}

	/**
	 * From now on a message's first PUBLISH carries a topic alias where one is free (MQTT
	 * 5, {@link PacketEncoder#MQTT_5} only); resends, written as {@link Publish} records,
	 * keep their full topic. Event loop only, once the CONNACK is read.
	 * @param aliases this connection's table
	 */
	public void topicAliases(OutboundTopicAliases aliases) {
		this.aliases = aliases;
	}

	/** This connection's outbound topic aliases, or {@code null}. */
	public OutboundTopicAliases topicAliases() {
		return this.aliases;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.context = ctx;
	}

	/**
	 * Writes {@code msg} as {@code channel.write(msg, channel.voidPromise())} would when
	 * this is the last outbound handler, without walking the pipeline to get here. Event
	 * loop only.
	 * @param msg a {@link Packet} or an {@link OutgoingMessage}
	 * @return false, having done nothing, when the handler is not (or no longer) in a
	 * pipeline: then write through the channel instead
	 */
	public boolean append(Object msg) {
		ChannelHandlerContext ctx = this.context;
		if (ctx == null || ctx.isRemoved()) {
			return false;
		}
		write(ctx, msg, ctx.voidPromise());
		return true;
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof OutgoingMessage message) {
			if (message.state() == OutgoingMessage.State.RELEASED) {
				ByteBuf batch = batch(ctx);
				this.codec.encodePubRel(message.packetId(), batch);
				batched(ctx, batch, promise);
			}
			else {
				writeFirstPublish(ctx, message, promise);
			}
			return;
		}
		if (!(msg instanceof Packet packet)) {
			writeBatch(ctx);
			ctx.write(msg, promise);
			return;
		}
		if (packet instanceof Publish publish
				&& (publish.payload().isDirect() || publish.payload().readableBytes() > INLINE_PAYLOAD_MAX)) {
			writeBatch(ctx);
			writeOnItsOwn(ctx, packet, promise);
			return;
		}
		ByteBuf batch = batch(ctx);
		int mark = batch.writerIndex();
		try {
			this.codec.encode(packet, batch);
		}
		catch (RuntimeException ex) {
			batch.writerIndex(mark);
			promise.setFailure(ex);
			return;
		}
		batched(ctx, batch, promise);
	}

	private void writeFirstPublish(ChannelHandlerContext ctx, OutgoingMessage message, ChannelPromise promise) {
		byte[] payload = message.payload();
		OutboundTopicAliases aliases = this.aliases;
		int alias = (aliases != null) ? aliases.aliasFor(message.topic()) : 0;
		if (payload.length > INLINE_PAYLOAD_MAX) {
			writeBatch(ctx);
			ByteBuf header;
			try {
				header = (alias != 0)
						? AliasedPublishEncoding.publishHeader(message.topic(), alias, message.qos(), message.retain(),
								false, message.packetId(), message.properties(), payload.length, ctx.alloc())
						: this.codec.publishHeader(message.topic(), message.qos(), message.retain(), false,
								message.packetId(), message.properties(), payload.length, ctx.alloc());
			}
			catch (RuntimeException ex) {
				promise.setFailure(ex);
				return;
			}
			if (alias < 0) {
				aliases.sent(message.topic());
			}
			ctx.write(header, ctx.voidPromise());
			ctx.write(Unpooled.wrappedBuffer(payload), promise);
			return;
		}
		ByteBuf batch = batch(ctx);
		int mark = batch.writerIndex();
		try {
			if (alias != 0) {
				AliasedPublishEncoding.encodePublish(message.topic(), alias, message.qos(), message.retain(), false,
						message.packetId(), message.properties(), payload, batch);
			}
			else {
				this.codec.encodePublish(message.topic(), message.qos(), message.retain(), false, message.packetId(),
						message.properties(), payload, batch);
			}
		}
		catch (RuntimeException ex) {
			batch.writerIndex(mark);
			promise.setFailure(ex);
			return;
		}
		if (alias < 0) {
			aliases.sent(message.topic());
		}
		batched(ctx, batch, promise);
	}

	private ByteBuf batch(ChannelHandlerContext ctx) {
		ByteBuf batch = this.batch;
		if (batch == null) {
			batch = ctx.alloc().directBuffer(BATCH_BYTES);
			this.batch = batch;
		}
		return batch;
	}

	/**
	 * A packet is in the batch: remembers its promise, and writes the batch once it is
	 * full.
	 */
	private void batched(ChannelHandlerContext ctx, ByteBuf batch, ChannelPromise promise) {
		if (promise.isVoid()) {
			this.batchHasVoidPromises = true;
		}
		else {
			this.promises.add(promise);
		}
		if (batch.readableBytes() >= BATCH_BYTES) {
			writeBatch(ctx);
		}
	}

	@Override
	public void flush(ChannelHandlerContext ctx) {
		writeBatch(ctx);
		ctx.flush();
	}

	@Override
	public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
		discardBatch();
		super.close(ctx, promise);
	}

	@Override
	public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
		discardBatch();
		super.disconnect(ctx, promise);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		discardBatch();
	}

	private void writeOnItsOwn(ChannelHandlerContext ctx, Packet packet, ChannelPromise promise) {
		try {
			this.codec.encode(packet, ctx.alloc(), this.buffers);
		}
		catch (RuntimeException ex) {
			this.buffers.forEach((buffer) -> ((ByteBuf) buffer).release());
			this.buffers.clear();
			promise.setFailure(ex);
			return;
		}
		int last = this.buffers.size() - 1;
		for (int i = 0; i < last; i++) {
			ctx.write(this.buffers.get(i), ctx.voidPromise());
		}
		ctx.write(this.buffers.get(last), promise);
		this.buffers.clear();
	}

	/** Writes the batch downstream, if there is one. */
	private void writeBatch(ChannelHandlerContext ctx) {
		ByteBuf batch = this.batch;
		if (batch == null) {
			return;
		}
		this.batch = null;
		boolean hadVoidPromises = this.batchHasVoidPromises;
		this.batchHasVoidPromises = false;
		if (this.promises.isEmpty()) {
			ctx.write(batch, ctx.voidPromise());
			return;
		}
		ChannelPromise[] waiting = this.promises.toArray(new ChannelPromise[0]);
		this.promises.clear();
		ctx.write(batch).addListener((ChannelFutureListener) (future) -> {
			for (ChannelPromise promise : waiting) {
				if (future.isSuccess()) {
					promise.trySuccess();
				}
				else {
					promise.tryFailure(future.cause());
				}
			}
			if (!future.isSuccess() && hadVoidPromises) {
				// packets written with a void promise report their failure through the
				// pipeline
				ctx.fireExceptionCaught(future.cause());
			}
		});
	}

	/**
	 * Drops a batch that can no longer be written, failing the promises waiting for it.
	 */
	private void discardBatch() {
		ByteBuf batch = this.batch;
		if (batch == null) {
			return;
		}
		this.batch = null;
		this.batchHasVoidPromises = false;
		batch.release();
		ClosedChannelException closed = new ClosedChannelException();
		for (ChannelPromise promise : this.promises) {
			promise.tryFailure(closed);
		}
		this.promises.clear();
	}

}
