package io.umqtt.core.session;

import java.util.List;

import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Isolation after a close that may have been a rejection: the PUBLISHes in flight go
 * again one at a time, only a close right after one sent alone counts against it, and the
 * normal window comes back once they are all acknowledged or failed.
 */
class PublishIsolationTests {

	private static OutgoingMessage qos(int qos, String topic) {
		return new OutgoingMessage(topic, qos, false, new byte[0]);
	}

	private static List<String> topics(List<Packet> packets) {
		return packets.stream()
			.map((p) -> (p instanceof Publish publish) ? publish.topic() : p.getClass().getSimpleName())
			.toList();
	}

	@Test
	void theMessagesInFlightAtASuspiciousCloseGoAgainOneAtATimeAndNewOnesWaitBehindInOrder() {
		SessionDriver session = new SessionDriver(new Session(10));
		session.maxPublishAttempts(1);
		session.onConnected(true);
		OutgoingMessage a = qos(1, "a");
		OutgoingMessage b = qos(1, "b");
		session.publish(a);
		session.publish(b);
		// b was written last: with a in flight as well the close blames nobody
		assertThat(session.onDisconnected(b.packetId())).isNull();
		OutgoingMessage c = qos(1, "c");
		session.publish(c);
		assertThat(topics(session.onConnected(true))).containsExactly("a");
		assertThat(session.givenUp()).isNull();
		assertThat(topics(session.publish(qos(1, "d")))).as("new ones wait behind").isEmpty();
		assertThat(topics(session.onPubAck(new PubAck(a.packetId())))).containsExactly("b");
		// the last isolated one acknowledged: the window opens for everything queued
		assertThat(topics(session.onPubAck(new PubAck(b.packetId())))).containsExactly("c", "d");
		assertThat(topics(session.publish(qos(1, "e")))).containsExactly("e");
		assertThat(a.completion()).isCompleted();
		assertThat(b.completion()).isCompleted();
		assertThat(session.inflightCount()).isEqualTo(3);
	}

	@Test
	void aHealthyMessageIsBlamedOnlyWhenTheBrokerClosesAgainWhileItIsAlone() {
		SessionDriver session = new SessionDriver(new Session(10));
		session.maxPublishAttempts(1);
		session.onConnected(true);
		OutgoingMessage a = qos(1, "a");
		session.publish(a);
		// alone on the wire, but not yet isolated: the first close blames nothing
		assertThat(session.onDisconnected(a.packetId())).isNull();
		assertThat(topics(session.onConnected(true))).containsExactly("a");
		assertThat(session.givenUp()).isNull();
		assertThat(a.completion()).isNotDone();
		// a second close while it was the only one outstanding counts
		assertThat(session.onDisconnected(a.packetId())).isNull();
		assertThat(session.onConnected(true)).isEmpty();
		assertThat(session.givenUp()).isSameAs(a);
		assertThat(a.completion()).isCompletedExceptionally();
		// isolation is over: the window is back
		assertThat(topics(session.publish(qos(1, "x")))).containsExactly("x");
		assertThat(topics(session.publish(qos(1, "y")))).containsExactly("y");
	}

	@Test
	void aMessageInItsPubrelPhaseIsNeitherIsolatedNorBlamed() {
		SessionDriver session = new SessionDriver(new Session(10));
		session.maxPublishAttempts(1);
		session.onConnected(true);
		OutgoingMessage x = qos(2, "x");
		OutgoingMessage y = qos(1, "y");
		session.publish(x);
		assertThat(session.onPubRec(new PubRec(x.packetId()))).singleElement().isInstanceOf(PubRel.class);
		session.publish(y);
		assertThat(session.onDisconnected(y.packetId())).isNull();
		// the PUBREL goes again at once, the PUBLISH alone
		assertThat(topics(session.onConnected(true))).containsExactly("PubRel", "y");
		assertThat(session.onDisconnected(y.packetId())).isNull();
		assertThat(topics(session.onConnected(true))).containsExactly("PubRel");
		assertThat(session.givenUp()).isSameAs(y);
		assertThat(x.completion()).isNotDone();
	}

	@Test
	void aQos2MessageIsolatedIsDoneWithIsolationAtItsPubrec() {
		SessionDriver session = new SessionDriver(new Session(10));
		session.onConnected(true);
		OutgoingMessage x = qos(2, "x");
		OutgoingMessage y = qos(1, "y");
		session.publish(x);
		session.publish(y);
		assertThat(session.onDisconnected(y.packetId())).isNull();
		assertThat(topics(session.onConnected(true))).containsExactly("x");
		assertThat(topics(session.onPubRec(new PubRec(x.packetId())))).containsExactly("PubRel", "y");
		assertThat(topics(session.onPubAck(new PubAck(y.packetId())))).isEmpty();
		assertThat(topics(session.publish(qos(1, "z")))).containsExactly("z");
		assertThat(topics(session.publish(qos(1, "w")))).containsExactly("w");
	}

	@Test
	void onALostSessionTheIsolatedMessagesAreQueuedAgainAndStillGoOneAtATime() {
		SessionDriver session = new SessionDriver(new Session(10));
		session.maxPublishAttempts(1);
		session.onConnected(false);
		OutgoingMessage a = qos(1, "a");
		OutgoingMessage b = qos(1, "b");
		session.publish(a);
		session.publish(b);
		assertThat(session.onDisconnected(b.packetId())).isNull();
		assertThat(topics(session.onConnected(false))).containsExactly("a");
		// sent alone on a clean session too: a close right after it counts
		assertThat(session.onDisconnected(a.packetId())).isNull();
		assertThat(topics(session.onConnected(false))).containsExactly("b");
		assertThat(session.givenUp()).isSameAs(a);
		assertThat(topics(session.onPubAck(new PubAck(b.packetId())))).isEmpty();
		assertThat(b.completion()).isCompleted();
		assertThat(topics(session.publish(qos(1, "c")))).containsExactly("c");
		assertThat(topics(session.publish(qos(1, "d")))).containsExactly("d");
	}

}
