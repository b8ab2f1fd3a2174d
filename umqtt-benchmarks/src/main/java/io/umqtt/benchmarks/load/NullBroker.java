package io.umqtt.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.umqtt.core.netty.Transport;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.Disconnect;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PingReq;
import io.umqtt.core.packet.PingResp;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.packet.Subscribe;
import io.umqtt.core.packet.Subscription;
import io.umqtt.core.packet.UnsubAck;
import io.umqtt.core.packet.Unsubscribe;

/**
 * A broker that only acknowledges: CONNACK, SUBACK, PUBACK, PUBREC and PUBCOMP, PINGRESP,
 * and discards every message. With it, a client's own cost shows where a real broker
 * would be the bottleneck. One exception, to measure receiving: a subscription to
 * {@code bench/source/<count>} is sent {@code <count>} QoS 1 messages of 64 bytes on that
 * topic as fast as the subscriber acknowledges them, at most {@value #SOURCE_WINDOW}
 * unacknowledged; {@code bench/source-json/<count>} the same with a 67-byte JSON reading
 * as payload.
 * <p>
 * It speaks the protocol level of each CONNECT: 3.1 and 3.1.1, or MQTT 5, where its
 * CONNACK offers a Topic Alias Maximum of {@value #TOPIC_ALIAS_MAXIMUM} (Mosquitto's
 * default) and its acknowledgements are MQTT 5's (reason code Success). Given a file, it
 * appends a line per closed connection: client identifier, bytes the client sent, and
 * PUBLISHes among them.
 * <p>
 * Run as its own process: {@code NullBroker <port> [<wire statistics file>]}; prints
 * {@code READY <port>}.
 */
public final class NullBroker {

	/** The prefix of the topic filter that makes this broker send messages. */
	public static final String SOURCE = "bench/source/";

	/** The prefix of the topic filter that makes this broker send JSON documents. */
	public static final String SOURCE_JSON = "bench/source-json/";

	static final int SOURCE_WINDOW = 1_000;

	/** The topic aliases an MQTT 5 client may set up. */
	static final int TOPIC_ALIAS_MAXIMUM = 10;

	private static final byte[] SOURCE_PAYLOAD = new byte[64];

	/** A telemetry reading of 67 bytes, as the Spring scenarios' listeners read it. */
	public static final byte[] JSON_PAYLOAD = "{\"temperature\":21.5,\"humidity\":40.25,\"sequence\":12345,\"commands\":7}"
		.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

	private NullBroker() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		Path statistics = (args.length > 1) ? Path.of(args[1]) : null;
		EventLoopGroup group = Transport.newGroup(1, "null-broker");
		Channel server = new ServerBootstrap().group(group)
			.channel(Transport.serverChannelType())
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					WireCounter counter = new WireCounter(statistics);
					channel.pipeline()
						.addLast(counter)
						.addLast(new ProtocolSniffer())
						.addLast(new Acknowledger(counter));
				}
			})
			.bind(InetAddress.getLoopbackAddress(), port)
			.sync()
			.channel();
		System.out.println("READY " + port);
		System.out.flush();
		server.closeFuture().sync();
	}

	/** Answers each packet as a broker would, without routing anything. */
	static final class Acknowledger extends SimpleChannelInboundHandler<Packet> {

		private final WireCounter counter;

		private String sourceTopic;

		private byte[] sourcePayload;

		private long toSend;

		private int outstanding;

		private int nextId;

		Acknowledger(WireCounter counter) {
			this.counter = counter;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
			if (packet instanceof Publish publish) {
				publish.payload().release();
				this.counter.publishes++;
				if (publish.qos() == 1) {
					ctx.write(new PubAck(publish.packetId()), ctx.voidPromise());
				}
				else if (publish.qos() == 2) {
					ctx.write(new PubRec(publish.packetId()), ctx.voidPromise());
				}
			}
			else if (packet instanceof PubAck) {
				this.outstanding--;
				sendMore(ctx);
			}
			else if (packet instanceof PubRel rel) {
				ctx.write(new PubComp(rel.packetId()), ctx.voidPromise());
			}
			else if (packet instanceof Connect connect) {
				this.counter.clientId = connect.clientId();
				ctx.write((connect.protocolLevel() == Connect.MQTT_5)
						? new ConnAck(false, 0,
								PacketProperties.builder().topicAliasMaximum(TOPIC_ALIAS_MAXIMUM).build())
						: new ConnAck(false, 0), ctx.voidPromise());
			}
			else if (packet instanceof Subscribe subscribe) {
				List<Integer> granted = subscribe.subscriptions()
					.stream()
					.map(Subscription::qos)
					.collect(Collectors.toList());
				ctx.write(new SubAck(subscribe.packetId(), granted), ctx.voidPromise());
				for (Subscription subscription : subscribe.subscriptions()) {
					String filter = subscription.filter();
					String prefix = filter.startsWith(SOURCE) ? SOURCE
							: filter.startsWith(SOURCE_JSON) ? SOURCE_JSON : null;
					if (prefix != null) {
						this.sourceTopic = filter;
						this.sourcePayload = (prefix == SOURCE) ? SOURCE_PAYLOAD : JSON_PAYLOAD;
						this.toSend = Long.parseLong(filter.substring(prefix.length()));
						sendMore(ctx);
					}
				}
			}
			else if (packet instanceof Unsubscribe unsubscribe) {
				ctx.write(new UnsubAck(unsubscribe.packetId()), ctx.voidPromise());
			}
			else if (packet instanceof PingReq) {
				ctx.write(PingResp.INSTANCE, ctx.voidPromise());
			}
			else if (packet instanceof Disconnect) {
				ctx.close();
			}
		}

		/** Sends source messages until the window is full or all are sent. */
		private void sendMore(ChannelHandlerContext ctx) {
			while (this.toSend > 0 && this.outstanding < SOURCE_WINDOW) {
				this.nextId = (this.nextId % 65_535) + 1;
				ctx.write(new Publish(this.sourceTopic, 1, false, false, this.nextId,
						Unpooled.wrappedBuffer(this.sourcePayload)), ctx.voidPromise());
				this.outstanding++;
				this.toSend--;
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			ctx.flush();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

	/**
	 * Counts the bytes a client sends; when its connection closes, writes them down.
	 */
	static final class WireCounter extends ChannelInboundHandlerAdapter {

		private final Path statistics;

		private long bytes;

		private long publishes;

		private String clientId = "";

		WireCounter(Path statistics) {
			this.statistics = statistics;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof ByteBuf buf) {
				this.bytes += buf.readableBytes();
			}
			ctx.fireChannelRead(msg);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			if (this.statistics != null) {
				String line = this.clientId + " " + this.bytes + " " + this.publishes + "\n";
				synchronized (WireCounter.class) {
					try {
						Files.writeString(this.statistics, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
								StandardOpenOption.APPEND);
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				}
			}
			ctx.fireChannelInactive();
		}

	}

}
