package io.umqtt.core.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.umqtt.core.ClientConfigs;
import io.umqtt.core.MqttClient;
import io.umqtt.core.netty.ConnectionEvents;
import io.umqtt.core.netty.ConnectionHandler;
import io.umqtt.core.netty.MqttDecoderHandler;
import io.umqtt.core.netty.MqttEncoderHandler;
import io.umqtt.core.packet.Publish;

/**
 * A {@link Connection} whose channels are {@link EmbeddedChannel}s with the real pipeline
 * (decoder, encoder, connection handler): the test plays the broker byte by byte, no
 * socket. The connection's own tasks run on the first channel's event loop, run by
 * {@link #run()}.
 */
final class EmbeddedConnection {

	final List<EmbeddedChannel> channels = new CopyOnWriteArrayList<>();

	final List<String> events = new CopyOnWriteArrayList<>();

	final Connection connection;

	private final EmbeddedChannel loopChannel = new EmbeddedChannel();

	private DefaultChannelPromise pending;

	EmbeddedConnection(UnaryOperator<MqttClient.Builder> customizer) {
		ClientConfig config = ClientConfigs.of(customizer.apply(MqttClient.builder("embedded", "broker.invalid")
			.reconnectDelay(Duration.ofMillis(1), Duration.ofMillis(1))));
		ConnectionBootstrap bootstrap = new ConnectionBootstrap(config, this.loopChannel.eventLoop(),
				new io.umqtt.core.codec.PacketDecoder(config.maxPacketSize())) {
			@Override
			ChannelFuture connect(ConnectionEvents handler, MqttEncoderHandler encoder) {
				// not registered yet: the test opens it with open(), after the connection
				// knows it
				EmbeddedChannel channel = new EmbeddedChannel(false, false);
				channel.pipeline()
					.addLast("decoder", new MqttDecoderHandler(this.decoder, handler))
					.addLast("encoder", encoder)
					.addLast("connection", new ConnectionHandler(handler, false));
				EmbeddedConnection.this.channels.add(channel);
				// completed by open(): the channel has no event loop before it is
				// registered
				DefaultChannelPromise connected = new DefaultChannelPromise(channel, ImmediateEventExecutor.INSTANCE);
				EmbeddedConnection.this.pending = connected;
				return connected;
			}
		};
		this.connection = new Connection(config, this.loopChannel.eventLoop(), new Recorder(), bootstrap);
		// the loop's clock moves only in tick(), so no timer fires behind a test's back
		// on a busy
		// machine
		this.loopChannel.freezeTime();
	}

	/**
	 * Moves the loop's clock on by a second and runs the timers then due (a reconnect
	 * after its back-off), then the tasks.
	 */
	void tick() {
		this.loopChannel.advanceTimeBy(1, TimeUnit.SECONDS);
		this.loopChannel.runScheduledPendingTasks();
		run();
	}

	/** Runs the tasks the connection queued for its event loop (not its timers). */
	void run() {
		this.loopChannel.runPendingTasks();
		for (EmbeddedChannel channel : this.channels) {
			channel.runPendingTasks();
		}
	}

	/** The latest channel. */
	EmbeddedChannel channel() {
		return this.channels.get(this.channels.size() - 1);
	}

	/** The TCP connection is up: the connection sends CONNECT. */
	void open() {
		try {
			channel().register();
			this.pending.setSuccess();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		run();
	}

	/** Bytes from the broker. */
	void receive(int... bytes) {
		byte[] raw = new byte[bytes.length];
		for (int i = 0; i < bytes.length; i++) {
			raw[i] = (byte) bytes[i];
		}
		channel().writeInbound(Unpooled.wrappedBuffer(raw));
		run();
	}

	/** Everything the client wrote since the last call, as bytes. */
	byte[] sent() {
		run();
		List<byte[]> parts = new ArrayList<>();
		int total = 0;
		Object written;
		while ((written = channel().readOutbound()) != null) {
			if (written instanceof ByteBuf buffer) {
				byte[] bytes = ByteBufUtil.getBytes(buffer);
				buffer.release();
				parts.add(bytes);
				total += bytes.length;
			}
		}
		byte[] all = new byte[total];
		int at = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, all, at, part.length);
			at += part.length;
		}
		return all;
	}

	/** The first byte of every packet in {@code bytes} (their types and flags). */
	static List<Integer> headers(byte[] bytes) {
		List<Integer> headers = new ArrayList<>();
		int at = 0;
		while (at < bytes.length) {
			headers.add(bytes[at] & 0xFF);
			int length = 0;
			int multiplier = 1;
			int digit;
			at++;
			do {
				digit = bytes[at++] & 0xFF;
				length += (digit & 0x7F) * multiplier;
				multiplier *= 128;
			}
			while ((digit & 0x80) != 0);
			at += length;
		}
		return headers;
	}

	private final class Recorder implements ClientEvents {

		@Override
		public void error(String text) {
			EmbeddedConnection.this.events.add("error " + text);
		}

		@Override
		public void connected(boolean sessionPresent, boolean reconnect) {
			EmbeddedConnection.this.events.add("connected reconnect=" + reconnect);
		}

		@Override
		public void connectionLost(String reason) {
			EmbeddedConnection.this.events.add("lost " + reason);
		}

		@Override
		public void subscriptionRefused(String filter) {
			EmbeddedConnection.this.events.add("refused " + filter);
		}

		@Override
		public void channelError(String text, Throwable cause) {
		}

		@Override
		public void received(Publish publish) {
		}

		@Override
		public void dropped(Publish publish) {
		}

		@Override
		public void overflowDropping(int queued) {
		}

		@Override
		public void overflowDropped(long count) {
		}

	}

}
