package io.umqtt.core.connection;

import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.umqtt.core.ClientConfigs;
import io.umqtt.core.MqttClient;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.session.InboundDelivery;
import io.umqtt.core.session.Session;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbox without a connection: received messages into the bounded queue, QoS 0 ones
 * dropped (and released) past the overflow while QoS 1 ones are still queued, and the
 * slots of asynchronous deliveries.
 */
class InboxTests {

	private final EmbeddedChannel loop = new EmbeddedChannel();

	private final AtomicInteger dropped = new AtomicInteger();

	private Inbox inbox(int capacity) {
		return inbox(MqttClient.builder("inbox", "broker.invalid").inboundQueueCapacity(capacity));
	}

	private Inbox inbox(MqttClient.Builder builder) {
		ClientConfig config = ClientConfigs.of(builder);
		Session session = new Session(config.maxInflight());
		ChannelWriter writer = new ChannelWriter(session, () -> {
		});
		SessionOutputs outputs = new SessionOutputs(writer);
		Inbox inbox = new Inbox(config, this.loop.eventLoop(), session, writer, outputs, new Counting());
		outputs.wire(inbox, null, null, null);
		return inbox;
	}

	private static Publish publish(int qos, int packetId, ByteBuf payload) {
		return new Publish("t", qos, false, false, packetId, payload);
	}

	@Test
	void qos0MessagesBeyondTheOverflowAreDroppedAndReleasedQos1OnesQueued() {
		Inbox inbox = inbox(2);
		for (int i = 0; i < 4; i++) {
			inbox.onPublish(this.loop, publish(0, 0, Unpooled.wrappedBuffer(new byte[] { 1 })));
		}
		// twice the capacity: the overflow is full
		assertThat(inbox.queue().size()).isEqualTo(4);
		ByteBuf late = Unpooled.wrappedBuffer(new byte[] { 2 });
		inbox.onPublish(this.loop, publish(0, 0, late));
		assertThat(this.dropped).hasValue(1);
		assertThat(late.refCnt()).isZero();
		inbox.onPublish(this.loop, publish(1, 9, Unpooled.wrappedBuffer(new byte[] { 3 })));
		assertThat(inbox.queue().size()).isEqualTo(5);
		InboundDelivery delivery;
		while ((delivery = inbox.queue().poll()) != null) {
			delivery.publish().payload().release();
		}
	}

	@Test
	void qos1MessagesBeyondTheHardBoundAreReleasedUnacknowledgedAndCounted() {
		Inbox inbox = inbox(MqttClient.builder("inbox", "broker.invalid").inboundQueueBytes(10));
		for (int id = 1; id <= 3; id++) {
			inbox.onPublish(this.loop, publish(1, id, Unpooled.wrappedBuffer(new byte[10])));
		}
		// three times inboundQueueBytes: the hard bound
		assertThat(inbox.queue().bytes()).isEqualTo(30);
		ByteBuf beyond = Unpooled.wrappedBuffer(new byte[10]);
		inbox.onPublish(this.loop, publish(1, 4, beyond));
		ByteBuf beyondQos2 = Unpooled.wrappedBuffer(new byte[10]);
		inbox.onPublish(this.loop, publish(2, 5, beyondQos2));
		assertThat(inbox.queue().size()).isEqualTo(3);
		assertThat(inbox.queue().bytes()).isEqualTo(30);
		assertThat(beyond.refCnt()).isZero();
		assertThat(beyondQos2.refCnt()).isZero();
		assertThat(this.dropped).hasValue(2);
		assertThat(inbox.releasedUnacknowledged()).isEqualTo(2);
		assertThat(this.loop.outboundMessages()).as("no PUBACK or PUBREC for them").isEmpty();
		InboundDelivery delivery;
		while ((delivery = inbox.queue().poll()) != null) {
			delivery.publish().payload().release();
		}
	}

	@Test
	void asynchronousSlotsAreAsManyAsTheCapacity() throws InterruptedException {
		Inbox inbox = inbox(2);
		inbox.acquireAsync();
		inbox.acquireAsync();
		Thread third = new Thread(() -> {
			try {
				inbox.acquireAsync();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		third.start();
		third.join(200);
		assertThat(third.isAlive()).as("waits for a slot").isTrue();
		inbox.releaseAsync(1);
		third.join(5_000);
		assertThat(third.isAlive()).isFalse();
	}

	private final class Counting implements ClientEvents {

		@Override
		public void error(String text) {
		}

		@Override
		public void connected(boolean sessionPresent, boolean reconnect) {
		}

		@Override
		public void connectionLost(String reason) {
		}

		@Override
		public void subscriptionRefused(String filter) {
		}

		@Override
		public void channelError(String text, Throwable cause) {
		}

		@Override
		public void received(Publish publish) {
		}

		@Override
		public void dropped(Publish publish) {
			InboxTests.this.dropped.incrementAndGet();
		}

		@Override
		public void overflowDropping(int queued) {
		}

		@Override
		public void overflowDropped(long count) {
		}

	}

}
