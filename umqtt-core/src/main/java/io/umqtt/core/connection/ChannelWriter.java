package io.umqtt.core.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.umqtt.core.MqttException;
import io.umqtt.core.netty.KeepAlive;
import io.umqtt.core.netty.MqttEncoderHandler;
import io.umqtt.core.packet.Disconnect;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.session.Session;

/**
 * Every write to the connected channel: packets and messages' first PUBLISHes are
 * appended to the encoder, and one flush per batch sends them, after the session store
 * has reached the disk with what they depend on. Attached at the CONNACK, detached when
 * the connection closes. Event loop only.
 */
final class ChannelWriter {

	/** How long DISCONNECT may take to be written before the socket is closed anyway. */
	private static final long DISCONNECT_WRITE_MILLIS = 1_000;

	private final Session session;

	/** Told after each store flush that succeeded. */
	private final Runnable storeFlushed;

	private Channel channel;

	/** The encoder of {@link #channel}, written to directly. */
	private MqttEncoderHandler encoder;

	private KeepAlive keepAlive;

	private boolean needsFlush;

	/**
	 * QoS 0 publishes written since the last flush, completed when their batch is
	 * written.
	 */
	private final List<CompletableFuture<Void>> writtenAtMostOnce = new ArrayList<>();

	/** Whether a close of the connection now shows the broker rejected a PUBLISH. */
	private final CloseEvidence closeEvidence = new CloseEvidence();

	/** MQTT 5: told of each acknowledgement written; {@code null} on 3.1.1. */
	private final InboundQuota inboundQuota;

	ChannelWriter(Session session, Runnable storeFlushed) {
		this(session, storeFlushed, null);
	}

	ChannelWriter(Session session, Runnable storeFlushed, InboundQuota inboundQuota) {
		this.session = session;
		this.storeFlushed = storeFlushed;
		this.inboundQuota = inboundQuota;
	}

	/** The connection is accepted: writes go to {@code channel} from now on. */
	void attach(Channel channel, MqttEncoderHandler encoder, KeepAlive keepAlive) {
		this.channel = channel;
		this.encoder = encoder;
		this.keepAlive = keepAlive;
		this.closeEvidence.attached();
		if (this.inboundQuota != null) {
			this.inboundQuota.reset();
		}
	}

	/**
	 * The connection is gone: QoS 0 publishes written but never flushed fail with
	 * {@code lost}.
	 * @return the packet id of the PUBLISH the broker plainly rejected by closing (see
	 * {@link CloseEvidence}), or 0
	 */
	int detach(MqttException lost) {
		this.channel = null;
		this.encoder = null;
		int suspect = this.closeEvidence.detached(awaitingPingResponse());
		if (this.keepAlive != null) {
			this.keepAlive.stop();
			this.keepAlive = null;
		}
		this.needsFlush = false;
		if (!this.writtenAtMostOnce.isEmpty()) {
			this.writtenAtMostOnce.forEach((completion) -> completion.completeExceptionally(lost));
			this.writtenAtMostOnce.clear();
		}
		return suspect;
	}

	/** The connected channel, or {@code null}. */
	Channel channel() {
		return this.channel;
	}

	boolean attached() {
		return this.channel != null;
	}

	/** Whether the channel takes more without queueing beyond its high water mark. */
	boolean writable() {
		return this.channel != null && this.channel.isWritable();
	}

	/** Whether a PINGREQ waits for its PINGRESP. */
	boolean awaitingPingResponse() {
		return this.keepAlive != null && this.keepAlive.awaitingResponse();
	}

	/** A packet was read: the broker went on after the last PUBLISH. */
	void read() {
		this.closeEvidence.read();
		if (this.keepAlive != null) {
			this.keepAlive.onRead();
		}
	}

	/**
	 * Writes a packet, or a message standing for its first PUBLISH, with a void promise:
	 * straight into the channel's encoder, the last outbound handler, without the walk
	 * through the pipeline. Flushed by {@link #flush()}.
	 */
	void send(Object msg) {
		if (msg instanceof OutgoingMessage message) {
			this.closeEvidence.publishWritten(message.packetId());
		}
		else if (msg instanceof Publish resent) {
			this.closeEvidence.publishWritten(resent.packetId());
		}
		else if (this.inboundQuota != null && msg instanceof Packet packet) {
			this.inboundQuota.sent(packet);
		}
		if (!this.encoder.append(msg)) {
			this.channel.write(msg, this.channel.voidPromise());
		}
		this.needsFlush = true;
	}

	/** The packets of a read have been handled: flushes what they caused. */
	void readComplete() {
		this.closeEvidence.readComplete();
		flush();
	}

	/**
	 * The connection failed with an I/O error: a reset by the peer, not a close in order.
	 */
	void connectionReset() {
		this.closeEvidence.reset();
	}

	/** A QoS 0 message written in this batch: completed once the batch is written. */
	void sendAtMostOnce(OutgoingMessage message) {
		send(message);
		this.writtenAtMostOnce.add(message.completion());
	}

	/** A PINGREQ was written by {@link #writeNow}: its PINGRESP is awaited. */
	void pingSent() {
		if (this.keepAlive != null) {
			this.keepAlive.onPingSent();
		}
	}

	/** Writes and flushes one packet at once (a request or a PINGREQ). */
	void writeNow(Packet packet) {
		if (this.channel == null) {
			return;
		}
		this.channel.writeAndFlush(packet, this.channel.voidPromise());
		if (this.keepAlive != null) {
			this.keepAlive.onWrite();
		}
	}

	/**
	 * Flushes what was written since the last flush, if anything: the store reaches the
	 * disk first, then one write to the socket for the whole batch.
	 */
	void flush() {
		if (!this.needsFlush || this.channel == null) {
			return;
		}
		this.needsFlush = false;
		if (this.session.flushStore()) {
			this.storeFlushed.run();
		}
		if (!this.writtenAtMostOnce.isEmpty()) {
			completeWhenWritten(this.channel);
		}
		this.channel.flush();
		if (this.keepAlive != null) {
			this.keepAlive.onWrite();
		}
	}

	/**
	 * Completes the QoS 0 publishes written since the last flush once the socket has
	 * taken them: an empty buffer written behind them completes when everything before it
	 * is written, one listener for the whole batch instead of one per message.
	 */
	private void completeWhenWritten(Channel ch) {
		@SuppressWarnings("unchecked")
		CompletableFuture<Void>[] waiting = this.writtenAtMostOnce.toArray(new CompletableFuture[0]);
		this.writtenAtMostOnce.clear();
		ch.write(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) (future) -> {
			for (CompletableFuture<Void> completion : waiting) {
				if (future.isSuccess()) {
					completion.complete(null);
				}
				else {
					completion.completeExceptionally(new MqttException("Write failed", future.cause()));
				}
			}
		});
	}

	/**
	 * Writes DISCONNECT on {@code ch}, if it is open, and closes it once written; a peer
	 * that stopped reading never takes it, so the socket closes anyway after a second.
	 * @param done completed once the channel is closed
	 */
	/**
	 * Sends {@code disconnect} (none when {@code null}: the socket is dropped, as 3.1.1
	 * has the will published) and closes.
	 */
	static void disconnect(Channel ch, EventLoop loop, CompletableFuture<Void> done, Disconnect disconnect) {
		if (ch != null && ch.isActive() && disconnect == null) {
			ch.close().addListener((f) -> done.complete(null));
		}
		else if (ch != null && ch.isActive()) {
			// DISCONNECT 0x00 tells the broker to drop the will [MQTT-3.14.4-3]; 0x04
			// to publish it
			ch.writeAndFlush(disconnect).addListener(ChannelFutureListener.CLOSE);
			ScheduledFuture<?> bound = loop.schedule(() -> ch.close(), DISCONNECT_WRITE_MILLIS, TimeUnit.MILLISECONDS);
			ch.closeFuture().addListener((f) -> {
				bound.cancel(false);
				done.complete(null);
			});
		}
		else {
			if (ch != null) {
				ch.close();
			}
			done.complete(null);
		}
	}

}
