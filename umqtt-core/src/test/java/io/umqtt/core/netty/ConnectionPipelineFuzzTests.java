package io.umqtt.core.netty;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.umqtt.core.MqttException;
import io.umqtt.core.codec.MalformedPacketException;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PingResp;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.packet.Subscription;
import io.umqtt.core.packet.UnsubAck;
import io.umqtt.core.session.InboundDelivery;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.session.Session;
import io.umqtt.core.session.SessionOutput;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of a connection's inbound path with Jazzer: random bytes, split
 * into reads at random points, go through the real pipeline ({@link MqttDecoderHandler},
 * the {@link MqttEncoderHandler} for the replies, {@link ConnectionHandler}) on an
 * {@link EmbeddedChannel}, after a CONNACK, into the {@link Session} (QoS 1 and 2 both
 * ways, with messages of the client in flight and a subscription pending) the way the
 * client hands it each packet. {@code mvn verify} replays the corpus in
 * {@code src/test/resources/io/umqtt/core/netty/ConnectionPipelineFuzzTestsInputs}; see
 * the README ("Fuzzing") for a real run.
 * <p>
 * The property: every failure is reported to the connection as a
 * {@link MalformedPacketException} or a protocol violation and closes the channel;
 * nothing else is thrown; every payload the decoder produced and every buffer the
 * pipeline held is released at the end.
 */
class ConnectionPipelineFuzzTests {

	/** CONNACK, remaining length 2, no session present, accepted. */
	private static final byte[] CONNACK = { 0x20, 0x02, 0x00, 0x00 };

	@FuzzTest(maxDuration = "3h", maxExecutions = 10_000_000)
	void connectionHandlesAnyBytesCleanly(FuzzedDataProvider data) {
		Connection connection = new Connection();
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.pipeline()
			.addLast("decoder", new MqttDecoderHandler(new PacketDecoder(64 * 1024)))
			.addLast("encoder", new MqttEncoderHandler())
			.addLast("connection", new ConnectionHandler(connection, false));
		connection.start(channel);
		channel.writeInbound(Unpooled.wrappedBuffer(CONNACK));
		assertThat(connection.session.isConnected()).isTrue();
		int reads = data.consumeInt(1, 16);
		for (int i = 0; i < reads && channel.isOpen() && data.remainingBytes() > 0; i++) {
			byte[] chunk = (i == reads - 1) ? data.consumeRemainingAsBytes()
					: data.consumeBytes(data.consumeInt(1, 512));
			try {
				channel.writeInbound(Unpooled.wrappedBuffer(chunk));
			}
			catch (DecoderException afterClose) {
				// an EmbeddedChannel removes its handlers as soon as it closes, so a
				// malformed packet
				// after the one that closed it (decoded in the same read) reaches the
				// pipeline's tail
				assertThat(channel.isOpen()).isFalse();
				assertThat(afterClose).hasCauseInstanceOf(MalformedPacketException.class);
			}
			channel.releaseOutbound();
		}
		channel.close();
		// an EmbeddedChannel removes its handlers as soon as it closes: what the decoder
		// still
		// produced from the same read reached the pipeline's tail instead of the
		// connection
		for (Object unhandled = channel.readInbound(); unhandled != null; unhandled = channel.readInbound()) {
			assertThat(connection.failures).isNotEmpty();
			if (unhandled instanceof Publish publish) {
				publish.payload().release();
			}
		}
		channel.finishAndReleaseAll();
		for (Throwable failure : connection.failures) {
			assertThat(failure).satisfiesAnyOf(
					(cause) -> assertThat(cause).isInstanceOf(MalformedPacketException.class).hasMessageContaining(" "),
					(cause) -> assertThat(cause).isInstanceOf(MqttException.class)
						.hasMessageStartingWith("Protocol violation"));
		}
		if (!connection.failures.isEmpty()) {
			assertThat(channel.isOpen()).isFalse();
		}
		for (ByteBuf payload : connection.payloads) {
			assertThat(payload.refCnt()).as("a PUBLISH payload left unreleased").isZero();
		}
	}

	/** What the client does with each packet of a connection, on a real session. */
	private static final class Connection implements ConnectionEvents {

		final Session session = new Session(10);

		final List<Throwable> failures = new ArrayList<>();

		final List<ByteBuf> payloads = new ArrayList<>();

		private final List<SessionOutput> scratch = new ArrayList<>();

		private Channel channel;

		void start(Channel channel) {
			this.channel = channel;
			// in flight once connected: three QoS 1 and three QoS 2 messages, and a
			// subscription waiting for its SUBACK
			for (int qos = 1; qos <= 2; qos++) {
				for (int i = 0; i < 3; i++) {
					this.session.publish(new OutgoingMessage("out/" + qos, qos, false, new byte[] { (byte) i }),
							this.scratch);
				}
			}
			this.session.subscribe(List.of(new Subscription("in/#", 2), new Subscription("other", 1)), this.scratch);
			// not connected yet: all of it goes out after the CONNACK
			this.scratch.clear();
		}

		@Override
		public void onReady(Channel ch) {
		}

		@Override
		public void onPacket(Channel ch, Packet packet) {
			if (packet instanceof Publish publish) {
				this.payloads.add(publish.payload());
				onPublish(ch, publish);
			}
			else if (packet instanceof ConnAck ack) {
				if (this.session.isConnected()) {
					violation(ch, "CONNACK when already connected");
				}
				else {
					this.session.onConnected(ack.sessionPresent(), this.scratch);
					writeScratch(ch);
				}
			}
			else if (packet instanceof PubAck ack) {
				this.session.onPubAck(ack, this.scratch);
				writeScratch(ch);
			}
			else if (packet instanceof PubRec rec) {
				this.session.onPubRec(rec, this.scratch);
				writeScratch(ch);
			}
			else if (packet instanceof PubComp comp) {
				this.session.onPubComp(comp, this.scratch);
				writeScratch(ch);
			}
			else if (packet instanceof PubRel rel) {
				this.session.onPubRel(rel, this.scratch);
				writeScratch(ch);
			}
			else if (packet instanceof SubAck ack) {
				this.session.onSubAck(ack, this.scratch);
				writeScratch(ch);
			}
			else if (packet instanceof UnsubAck ack) {
				this.session.onUnsubAck(ack, this.scratch);
				writeScratch(ch);
			}
			else if (!(packet instanceof PingResp)) {
				violation(ch, "the server sent " + packet.getClass().getSimpleName().toUpperCase());
			}
		}

		private void onPublish(Channel ch, Publish publish) {
			if (!this.session.isConnected()) {
				publish.payload().release();
				violation(ch, "PUBLISH before CONNACK");
				return;
			}
			this.session.onPublish(publish, this.scratch);
			InboundDelivery delivery = null;
			for (SessionOutput output : this.scratch) {
				if (output instanceof InboundDelivery handedOut) {
					delivery = handedOut;
				}
			}
			writeScratch(ch);
			if (delivery != null) {
				// delivered at once, as the dispatching thread does, then acknowledged
				this.session.onDelivered(delivery, this.scratch);
				writeScratch(ch);
			}
			publish.payload().release();
		}

		/**
		 * Writes the packets the session asked for; the rest (deliveries, answers) needs
		 * nothing here.
		 */
		private void writeScratch(Channel ch) {
			for (SessionOutput output : this.scratch) {
				if (output instanceof OutgoingMessage message) {
					ch.write(message, ch.voidPromise());
				}
				else if (output instanceof SessionOutput.Send send) {
					ch.write(send.packet(), ch.voidPromise());
				}
			}
			this.scratch.clear();
		}

		private void violation(Channel ch, String what) {
			this.failures.add(new MqttException("Protocol violation: " + what));
			ch.close();
		}

		@Override
		public void onReadComplete(Channel ch) {
			ch.flush();
		}

		@Override
		public void onError(Channel ch, Throwable cause) {
			this.failures.add(cause);
		}

		@Override
		public void onClosed(Channel ch) {
			this.session.onDisconnected(this.scratch);
			this.scratch.clear();
		}

		@Override
		public void onWritable(Channel ch) {
		}

	}

}
