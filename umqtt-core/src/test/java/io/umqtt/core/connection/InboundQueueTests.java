package io.umqtt.core.connection;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.session.InboundDelivery;
import io.umqtt.core.session.Session;
import io.umqtt.core.session.SessionOutput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InboundQueueTests {

	private final Session session = new Session(10);

	private InboundDelivery delivery(String topic, int payloadBytes) {
		List<SessionOutput> out = new java.util.ArrayList<>();
		this.session.onPublish(new Publish(topic, 0, false, false, 0, Unpooled.wrappedBuffer(new byte[payloadBytes])),
				out);
		return (InboundDelivery) out.get(0);
	}

	@Test
	void aRouteChangeRunsAfterTheMessagesBeforeItAndBeforeTheOnesAfterIt() throws InterruptedException {
		InboundQueue queue = new InboundQueue(10, 1_000);
		List<String> seen = new ArrayList<>();
		queue.add(delivery("before", 1));
		queue.addRouteChange(() -> seen.add("route change"));
		queue.add(delivery("after", 1));
		seen.add(queue.poll().publish().topic());
		assertThat(seen).containsExactly("before");
		seen.add(queue.take(0).publish().topic());
		assertThat(seen).containsExactly("before", "route change", "after");
		assertThat(queue.size()).isZero();
	}

	@Test
	void aRouteChangeAloneIsRunByAWaitingReader() throws InterruptedException {
		InboundQueue queue = new InboundQueue(10, 1_000);
		List<String> seen = new ArrayList<>();
		queue.addRouteChange(() -> seen.add("route change"));
		assertThat(queue.take(1_000_000)).isNull();
		assertThat(seen).containsExactly("route change");
	}

	@Test
	void routeChangesAtTheHeadRunWithoutAMessage() {
		InboundQueue queue = new InboundQueue(10, 1_000);
		List<String> seen = new ArrayList<>();
		queue.runRouteChanges();
		queue.addRouteChange(() -> seen.add("first"));
		queue.add(delivery("message", 1));
		queue.addRouteChange(() -> seen.add("second"));
		queue.runRouteChanges();
		assertThat(seen).containsExactly("first");
		seen.add(queue.poll().publish().topic());
		queue.runRouteChanges();
		assertThat(seen).containsExactly("first", "message", "second");
		assertThat(queue.poll()).isNull();
	}

	@Test
	void limitsCountMessagesAndPayloadBytes() {
		InboundQueue queue = new InboundQueue(4, 100);
		queue.add(delivery("t", 60));
		assertThat(queue.full()).isFalse();
		queue.add(delivery("t", 60));
		// 120 bytes: past the byte capacity, not yet twice it
		assertThat(queue.full()).isTrue();
		assertThat(queue.overflowFull()).isFalse();
		queue.add(delivery("t", 80));
		assertThat(queue.overflowFull()).isTrue();
		// a margin of as much again above the overflow, for QoS 1 and 2 messages before
		// an answer
		assertThat(queue.hardFull()).isFalse();
		queue.add(delivery("t", 100));
		assertThat(queue.hardFull()).isTrue();
		assertThat(queue.hardBytes()).isEqualTo(300);
		queue.poll().publish().payload().release();
		assertThat(queue.bytes()).isEqualTo(240);
		queue.poll().publish().payload().release();
		queue.poll().publish().payload().release();
		assertThat(queue.drained()).isFalse();
		queue.poll().publish().payload().release();
		assertThat(queue.drained()).isTrue();
		assertThat(queue.peak()).isEqualTo(4);
		assertThat(queue.hardCount()).isEqualTo(2 * 4 + 65_535);
	}

}
