package io.umqtt.core.session;

import java.util.List;

import io.netty.buffer.Unpooled;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resends of a resumed session under the MQTT 5 server's Receive Maximum of the new
 * connection [MQTT-3.3.4-7]: the PUBRELs of released messages go at once and count; the
 * PUBLISHes go again, with DUP and in order, only as far as the quota leaves room, the
 * rest as acknowledgements free it, new messages behind them; isolation waits for room
 * too.
 */
class ResendQuotaTests {

	private static OutgoingMessage qos(int qos, String topic) {
		return new OutgoingMessage(topic, qos, false, new byte[0]);
	}

	private static List<String> sent(List<Packet> packets) {
		return packets.stream()
			.map((p) -> (p instanceof Publish publish) ? publish.topic() + (publish.dup() ? " dup" : "")
					: p.getClass().getSimpleName())
			.toList();
	}

	@Test
	void aSmallerReceiveMaximumOnTheNextConnectionBoundsTheResendsAndTheRestFollowAsAcksFreeRoom() {
		SessionDriver session = new SessionDriver(new Session(10));
		session.serverReceiveMaximum(10);
		session.onConnected(false);
		OutgoingMessage[] messages = new OutgoingMessage[6];
		for (int i = 0; i < messages.length; i++) {
			messages[i] = qos(1, "m" + i);
			assertThat(sent(session.publish(messages[i]))).containsExactly("m" + i);
		}
		// no evidence against any of them: no isolation
		session.onDisconnected();
		session.serverReceiveMaximum(2);
		// [MQTT-4.9.0-1]: the new connection's send quota is its Receive Maximum, 2;
		// [MQTT-4.6.0-1]: the resends go in the order the PUBLISHes were first sent
		assertThat(sent(session.onConnected(true))).containsExactly("m0 dup", "m1 dup");
		OutgoingMessage late = qos(1, "late");
		assertThat(sent(session.publish(late))).as("new ones wait behind the resends").isEmpty();
		for (int i = 0; i < 4; i++) {
			// [MQTT-4.6.0-1]; [MQTT-4.9.0-2]: each acknowledgement makes room for one
			// PUBLISH, no more
			assertThat(sent(session.onPubAck(new PubAck(messages[i].packetId()))))
				.containsExactly("m" + (i + 2) + " dup");
		}
		assertThat(sent(session.onPubAck(new PubAck(messages[4].packetId())))).containsExactly("late");
		assertThat(sent(session.onPubAck(new PubAck(messages[5].packetId())))).isEmpty();
		assertThat(sent(session.publish(qos(1, "next")))).containsExactly("next");
		// [MQTT-4.9.0-2]: at zero quota no QoS 1 or 2 PUBLISH goes out
		assertThat(sent(session.publish(qos(1, "full")))).as("two on the wire: the quota").isEmpty();
		for (OutgoingMessage message : messages) {
			assertThat(message.completion()).isCompleted();
		}
	}

	@Test
	void releasedMessagesSendTheirPubrelAtOnceAndCountAgainstTheQuota() {
		SessionDriver session = new SessionDriver(new Session(10));
		session.onConnected(false);
		OutgoingMessage x = qos(2, "x");
		OutgoingMessage y = qos(2, "y");
		OutgoingMessage a = qos(1, "a");
		session.publish(x);
		session.publish(y);
		session.publish(a);
		assertThat(sent(session.onPubRec(new PubRec(x.packetId())))).containsExactly("PubRel");
		assertThat(sent(session.onPubRec(new PubRec(y.packetId())))).containsExactly("PubRel");
		session.onDisconnected();
		session.serverReceiveMaximum(2);
		// the broker holds x and y until their PUBREL: a would be a third
		assertThat(sent(session.onConnected(true))).containsExactly("PubRel", "PubRel");
		assertThat(sent(session.onPubComp(new PubComp(x.packetId())))).containsExactly("a dup");
		assertThat(sent(session.onPubComp(new PubComp(y.packetId())))).isEmpty();
		assertThat(sent(session.onPubAck(new PubAck(a.packetId())))).isEmpty();
		assertThat(x.completion()).isCompleted();
		assertThat(y.completion()).isCompleted();
		assertThat(a.completion()).isCompleted();
		assertThat(session.inflightCount()).isZero();
	}

	@Test
	void atZeroQuotaEveryOtherPacketIsStillProcessedAndAnswered() {
		SessionDriver session = new SessionDriver(new Session(10));
		session.serverReceiveMaximum(1);
		session.onConnected(false);
		OutgoingMessage x = qos(2, "x");
		assertThat(sent(session.publish(x))).containsExactly("x");
		OutgoingMessage y = qos(1, "y");
		assertThat(sent(session.publish(y))).as("the quota is zero").isEmpty();
		// [MQTT-4.9.0-3]: PUBLISHes from the server are still delivered and answered,
		// PUBREL with PUBCOMP, PUBREC with PUBREL
		Publish inbound1 = new Publish("in", 1, false, false, 5, Unpooled.EMPTY_BUFFER);
		SessionDriver.Receipt one = session.onPublish(inbound1);
		assertThat(one.delivery()).isNotNull();
		assertThat(session.onDelivered(one.delivery())).containsExactly(new PubAck(5));
		Publish inbound2 = new Publish("in", 2, false, false, 6, Unpooled.EMPTY_BUFFER);
		SessionDriver.Receipt two = session.onPublish(inbound2);
		assertThat(two.delivery()).isNotNull();
		assertThat(session.onDelivered(two.delivery())).containsExactly(new PubRec(6));
		assertThat(session.onPubRel(new PubRel(6))).containsExactly(new PubComp(6));
		assertThat(sent(session.onPubRec(new PubRec(x.packetId())))).containsExactly("PubRel");
		assertThat(sent(session.onPubComp(new PubComp(x.packetId())))).containsExactly("y");
		assertThat(x.completion()).isCompleted();
	}

	@Test
	void anAcknowledgementOfAMessageNotYetResentTakesItOutOfTheResends() {
		SessionDriver session = new SessionDriver(new Session(10));
		session.onConnected(false);
		OutgoingMessage a = qos(1, "a");
		OutgoingMessage b = qos(2, "b");
		OutgoingMessage c = qos(1, "c");
		session.publish(a);
		session.publish(b);
		session.publish(c);
		session.onDisconnected();
		session.serverReceiveMaximum(1);
		assertThat(sent(session.onConnected(true))).containsExactly("a dup");
		// late answers for messages the broker had from the last connection
		assertThat(sent(session.onPubAck(new PubAck(c.packetId())))).as("a still fills the quota").isEmpty();
		assertThat(sent(session.onPubRec(new PubRec(b.packetId())))).containsExactly("PubRel");
		assertThat(c.completion()).isCompleted();
		assertThat(sent(session.onPubAck(new PubAck(a.packetId())))).as("b's PUBREL fills it now").isEmpty();
		assertThat(sent(session.publish(qos(1, "d")))).isEmpty();
		assertThat(sent(session.onPubComp(new PubComp(b.packetId())))).containsExactly("d");
		assertThat(session.inflightCount()).isOne();
	}

	@Test
	void isolationSendsItsMessageAloneOnlyWhenTheQuotaHasRoom() {
		SessionDriver session = new SessionDriver(new Session(10));
		session.onConnected(false);
		OutgoingMessage x = qos(2, "x");
		OutgoingMessage y = qos(1, "y");
		OutgoingMessage z = qos(1, "z");
		session.publish(x);
		assertThat(sent(session.onPubRec(new PubRec(x.packetId())))).containsExactly("PubRel");
		session.publish(y);
		session.publish(z);
		// z was written last with y in flight too: isolation, blaming none
		assertThat(session.onDisconnected(z.packetId())).isNull();
		session.serverReceiveMaximum(1);
		assertThat(sent(session.onConnected(true))).containsExactly("PubRel");
		assertThat(sent(session.onPubComp(new PubComp(x.packetId())))).containsExactly("y dup");
		assertThat(sent(session.onPubAck(new PubAck(y.packetId())))).containsExactly("z dup");
		assertThat(sent(session.onPubAck(new PubAck(z.packetId())))).isEmpty();
		assertThat(sent(session.publish(qos(1, "w")))).containsExactly("w");
	}

	@Test
	void aLostSessionForgetsTheResendsStillWaiting() {
		SessionDriver session = new SessionDriver(new Session(10));
		session.onConnected(false);
		OutgoingMessage a = qos(1, "a");
		OutgoingMessage b = qos(1, "b");
		OutgoingMessage c = qos(1, "c");
		session.publish(a);
		session.publish(b);
		session.publish(c);
		session.onDisconnected();
		session.serverReceiveMaximum(1);
		assertThat(sent(session.onConnected(true))).containsExactly("a dup");
		// gone before b and c went again; the broker then lost the session
		session.onDisconnected();
		session.serverReceiveMaximum(3);
		assertThat(sent(session.onConnected(false))).containsExactly("a", "b", "c");
		assertThat(session.inflightCount()).isEqualTo(3);
		assertThat(sent(session.publish(qos(1, "d")))).as("three on the wire: the quota").isEmpty();
	}

}
