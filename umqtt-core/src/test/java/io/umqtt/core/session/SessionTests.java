package io.umqtt.core.session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.netty.buffer.Unpooled;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
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
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTests {

	private final SessionDriver session = new SessionDriver(new Session(2));

	private static OutgoingMessage message(String text, int qos) {
		return new OutgoingMessage("t", qos, false, text.getBytes(StandardCharsets.UTF_8));
	}

	private static Publish inbound(int qos, int id, boolean dup) {
		return new Publish("in", qos, false, dup, id, Unpooled.EMPTY_BUFFER);
	}

	private static List<String> describe(List<Packet> packets) {
		List<String> out = new ArrayList<>();
		for (Packet packet : packets) {
			if (packet instanceof Publish p) {
				out.add("PUBLISH " + p.packetId() + (p.dup() ? " dup " : " ")
						+ p.payload().toString(StandardCharsets.UTF_8));
				p.payload().release();
			}
			else {
				out.add(packet.toString());
			}
		}
		return out;
	}

	@Test
	void qos1PublishCompletesOnPubAck() {
		this.session.onConnected(false);
		OutgoingMessage m = message("a", 1);
		assertThat(describe(this.session.publish(m))).containsExactly("PUBLISH 1 a");
		// [MQTT-4.3.2-3]: unacknowledged until its PUBACK
		assertThat(m.completion()).isNotDone();
		assertThat(this.session.inflightCount()).isOne();
		assertThat(this.session.onPubAck(new PubAck(1))).isEmpty();
		assertThat(m.completion()).isCompletedWithValue(null);
		assertThat(this.session.inflightCount()).isZero();
	}

	@Test
	void qos2PublishGoesThroughPubRecPubRelPubComp() {
		this.session.onConnected(false);
		OutgoingMessage m = message("b", 2);
		assertThat(describe(this.session.publish(m))).containsExactly("PUBLISH 1 b");
		// the PUBREL carries the identifier of the PUBLISH it answers [MQTT-2.2.1-5]
		// [MQTT-4.3.3-3]: the PUBLISH is unacknowledged until its PUBREC
		assertThat(m.state()).isEqualTo(OutgoingMessage.State.PUBLISHED);
		assertThat(m.completion()).isNotDone();
		assertThat(this.session.inflightCount()).isOne();
		assertThat(this.session.onPubRec(new PubRec(1))).containsExactly(new PubRel(1));
		assertThat(m.state()).isEqualTo(OutgoingMessage.State.RELEASED);
		// [MQTT-4.3.3-5]: the PUBREL is unacknowledged until its PUBCOMP
		assertThat(m.completion()).isNotDone();
		assertThat(this.session.inflightCount()).isOne();
		// a PUBACK for a QoS 2 message changes nothing
		assertThat(this.session.onPubAck(new PubAck(1))).isEmpty();
		assertThat(m.completion()).isNotDone();
		assertThat(this.session.onPubComp(new PubComp(1))).isEmpty();
		assertThat(m.completion()).isCompletedWithValue(null);
	}

	@Test
	void aFullWindowQueuesInOrderAndAnAckLetsTheNextOut() {
		this.session.onConnected(false);
		assertThat(describe(this.session.publish(message("1", 1)))).containsExactly("PUBLISH 1 1");
		assertThat(describe(this.session.publish(message("2", 2)))).containsExactly("PUBLISH 2 2");
		assertThat(this.session.publish(message("3", 1))).isEmpty();
		assertThat(this.session.publish(message("4", 0))).as("QoS 0 keeps its place behind the queue").isEmpty();
		assertThat(this.session.queuedCount()).isEqualTo(2);
		assertThat(describe(this.session.onPubAck(new PubAck(1)))).containsExactly("PUBLISH 3 3", "PUBLISH 0 4");
	}

	@Test
	void publishesWhileDisconnectedAreSentInOrderOnConnect() {
		OutgoingMessage q0 = message("zero", 0);
		assertThat(this.session.publish(message("one", 1))).isEmpty();
		assertThat(this.session.publish(q0)).isEmpty();
		assertThat(describe(this.session.onConnected(false))).containsExactly("PUBLISH 1 one", "PUBLISH 0 zero");
		assertThat(q0.completion()).isCompleted();
	}

	@Test
	void resumedSessionResendsWithDupAndPubRelAfterPubRecInOriginalOrder() {
		this.session.onConnected(false);
		describe(this.session.publish(message("q2", 2)));
		describe(this.session.publish(message("q1", 1)));
		this.session.onPubRec(new PubRec(1));
		this.session.onDisconnected();
		// [MQTT-4.4.0-1]: PUBREL for the released QoS 2 message, the QoS 1 one again with
		// DUP; [MQTT-4.3.3-6]: the released one's PUBLISH never goes again
		assertThat(describe(this.session.onConnected(true))).containsExactly("PubRel[packetId=1]", "PUBLISH 2 dup q1");
	}

	@Test
	void pubRelsGoInTheOrderOfTheirPubRecsAlsoOnAResumedSession() {
		SessionDriver busy = new SessionDriver(new Session(4));
		busy.onConnected(false);
		for (String text : List.of("one", "two", "three", "four")) {
			describe(busy.publish(message(text, 2)));
		}
		// [MQTT-4.6.0-4]: each PUBREL as its PUBREC arrives, and again in that order
		assertThat(describe(busy.onPubRec(new PubRec(3)))).containsExactly("PubRel[packetId=3]");
		assertThat(describe(busy.onPubRec(new PubRec(1)))).containsExactly("PubRel[packetId=1]");
		assertThat(describe(busy.onPubRec(new PubRec(4)))).containsExactly("PubRel[packetId=4]");
		busy.onDisconnected();
		assertThat(describe(busy.onConnected(true))).containsExactly("PubRel[packetId=3]", "PubRel[packetId=1]",
				"PubRel[packetId=4]", "PUBLISH 2 dup two");
		busy.onDisconnected();
		// and once more, with the untaken one's PUBREC arriving after the resend
		assertThat(describe(busy.onConnected(true))).endsWith("PUBLISH 2 dup two");
		assertThat(describe(busy.onPubRec(new PubRec(2)))).containsExactly("PubRel[packetId=2]");
		busy.onDisconnected();
		assertThat(describe(busy.onConnected(true))).containsExactly("PubRel[packetId=3]", "PubRel[packetId=1]",
				"PubRel[packetId=4]", "PubRel[packetId=2]");
	}

	@Test
	void lostSessionSendsUntakenMessagesAgainAndCompletesTakenOnes() {
		this.session.onConnected(false);
		OutgoingMessage taken = message("taken", 2);
		OutgoingMessage untaken = message("untaken", 1);
		describe(this.session.publish(taken));
		describe(this.session.publish(untaken));
		this.session.onPubRec(new PubRec(1));
		this.session.onDisconnected();
		// Session Present 0: the session state is discarded [MQTT-3.2.2-5], the message
		// the broker had not taken is sent as a new message with a new id; ids keep
		// rising rather than reuse 1 and 2 at once
		assertThat(describe(this.session.onConnected(false))).containsExactly("PUBLISH 3 untaken");
		assertThat(taken.completion()).isCompleted();
		assertThat(untaken.completion()).isNotDone();
	}

	@Test
	void inboundQos2IsDeliveredOnceAcrossRedeliveries() {
		this.session.onConnected(false);
		SessionDriver.Receipt first = this.session.onPublish(inbound(2, 7, false));
		assertThat(first.delivery()).isNotNull();
		// resent before we acknowledged: not delivered again, not answered yet
		SessionDriver.Receipt early = this.session.onPublish(inbound(2, 7, true));
		assertThat(early.delivery()).isNull();
		assertThat(early.reply()).isEmpty();
		// [MQTT-4.3.3-8]: PUBREC with the PUBLISH's id once the application has the
		// message
		assertThat(this.session.onDelivered(first.delivery())).containsExactly(new PubRec(7));
		// [MQTT-4.3.3-10]: resent after PUBREC, before PUBREL: answered with PUBREC,
		// still not delivered again
		SessionDriver.Receipt late = this.session.onPublish(inbound(2, 7, true));
		assertThat(late.delivery()).isNull();
		assertThat(late.reply()).containsExactly(new PubRec(7));
		// [MQTT-4.3.3-11]: PUBREL is answered with PUBCOMP of the same id
		assertThat(this.session.onPubRel(new PubRel(7))).containsExactly(new PubComp(7));
		// [MQTT-4.3.3-12]: after PUBCOMP the id is free: a new message with it is a new
		// message
		assertThat(this.session.receivedQos2Count()).isZero();
		assertThat(this.session.onPublish(inbound(2, 7, false)).delivery()).isNotNull();
	}

	@Test
	void inboundQos2DeliveredWhileDisconnectedIsAnsweredButNotRedeliveredAfterResume() {
		this.session.onConnected(true);
		SessionDriver.Receipt receipt = this.session.onPublish(inbound(2, 9, false));
		this.session.onDisconnected();
		assertThat(this.session.onDelivered(receipt.delivery())).isEmpty();
		this.session.onConnected(true);
		SessionDriver.Receipt resent = this.session.onPublish(inbound(2, 9, true));
		assertThat(resent.delivery()).isNull();
		assertThat(resent.reply()).containsExactly(new PubRec(9));
	}

	@Test
	void acknowledgementsGoOutInTheOrderThePublishesArrived() {
		this.session.onConnected(false);
		InboundDelivery a = this.session.onPublish(inbound(1, 1, false)).delivery();
		InboundDelivery b = this.session.onPublish(inbound(2, 2, false)).delivery();
		InboundDelivery c = this.session.onPublish(inbound(1, 3, false)).delivery();
		// [MQTT-4.6.0-2, MQTT-4.6.0-3]: b and c wait for a
		assertThat(this.session.onDelivered(c)).isEmpty();
		assertThat(this.session.onDelivered(b)).isEmpty();
		assertThat(this.session.onDelivered(a)).containsExactly(new PubAck(1), new PubRec(2), new PubAck(3));
	}

	@Test
	void eachInboundPublishIsAnsweredAsItsQosRequiresWithItsPacketIdentifier() {
		this.session.onConnected(false);
		InboundDelivery q0 = this.session.onPublish(inbound(0, 0, false)).delivery();
		InboundDelivery q1 = this.session.onPublish(inbound(1, 5, false)).delivery();
		InboundDelivery q2 = this.session.onPublish(inbound(2, 6, false)).delivery();
		// [MQTT-3.3.4-1]: QoS 0 nothing, QoS 1 PUBACK, QoS 2 PUBREC, each with the
		// identifier of the PUBLISH it answers [MQTT-2.2.1-5]
		assertThat(this.session.onDelivered(q0)).isEmpty();
		assertThat(this.session.onDelivered(q1)).containsExactly(new PubAck(5));
		assertThat(this.session.onDelivered(q2)).containsExactly(new PubRec(6));
		// the PUBCOMP carries the identifier of the PUBREL [MQTT-2.2.1-5]
		assertThat(this.session.onPubRel(new PubRel(6))).containsExactly(new PubComp(6));
	}

	@Test
	void atTheServersReceiveMaximumPacketsOtherThanPublishStillGoOut() {
		this.session.serverReceiveMaximum(1);
		this.session.onConnected(false);
		assertThat(describe(this.session.publish(message("1", 1)))).containsExactly("PUBLISH 1 1");
		assertThat(this.session.publish(message("2", 1))).as("the window is full").isEmpty();
		InboundDelivery in = this.session.onPublish(inbound(1, 9, false)).delivery();
		List<SessionOutput> out = new ArrayList<>();
		Subscribe subscribe = this.session.session().subscribe(List.of(new Subscription("s", 1)), out);
		Unsubscribe unsubscribe = this.session.session().unsubscribe(List.of("s"), out);
		// [MQTT-3.3.4-8]: SUBSCRIBE, UNSUBSCRIBE and a PUBACK go out at once
		assertThat(SessionDriver.packets(out)).containsExactly(subscribe, unsubscribe);
		assertThat(this.session.onDelivered(in)).containsExactly(new PubAck(9));
		assertThat(this.session.queuedCount()).isEqualTo(1);
	}

	@Test
	void aConnectionWithoutTheSessionForgetsTheQos2MessagesReceived() {
		this.session.onConnected(false);
		SessionDriver.Receipt first = this.session.onPublish(inbound(2, 7, false));
		assertThat(this.session.onDelivered(first.delivery())).containsExactly(new PubRec(7));
		this.session.onDisconnected();
		// Session Present 0, as after Clean Start 1: the session state is discarded
		// [MQTT-3.1.2-4, MQTT-3.2.2-5], so id 7 is a new message again
		this.session.onConnected(false);
		assertThat(this.session.receivedQos2Count()).isZero();
		assertThat(this.session.onPublish(inbound(2, 7, false)).delivery()).isNotNull();
	}

	@Test
	void theAcknowledgementsTheClientSendsCarryNoReasonStringNorUserProperty() {
		this.session.onConnected(false);
		describe(this.session.publish(message("q2", 2)));
		List<Packet> sent = new ArrayList<>(this.session.onPubRec(new PubRec(1)));
		InboundDelivery q1 = this.session.onPublish(inbound(1, 5, false)).delivery();
		InboundDelivery q2 = this.session.onPublish(inbound(2, 6, false)).delivery();
		sent.addAll(this.session.onDelivered(q1));
		sent.addAll(this.session.onDelivered(q2));
		sent.addAll(this.session.onPubRel(new PubRel(6)));
		// none can outgrow the server's Maximum Packet Size by a Reason String
		// [MQTT-3.4.2-2, MQTT-3.5.2-2, MQTT-3.6.2-2, MQTT-3.7.2-2] or User Properties
		// [MQTT-3.4.2-3, MQTT-3.5.2-3, MQTT-3.6.2-3, MQTT-3.7.2-3]: they carry neither
		assertThat(sent).extracting(Object::getClass)
			.containsExactly(PubRel.class, PubAck.class, PubRec.class, PubComp.class);
		assertThat(sent).extracting(SessionTests::properties).allSatisfy((properties) -> {
			assertThat(properties.reasonString()).isNull();
			assertThat(properties.userProperties()).isEmpty();
		});
	}

	private static PacketProperties properties(Packet packet) {
		if (packet instanceof PubAck ack) {
			return ack.properties();
		}
		if (packet instanceof PubRec rec) {
			return rec.properties();
		}
		if (packet instanceof PubRel rel) {
			return rel.properties();
		}
		return ((PubComp) packet).properties();
	}

	@Test
	void inboundQos1IsAcknowledgedWithItsIdOnceHandledAndItsIdThenStartsANewMessage() {
		this.session.onConnected(false);
		SessionDriver.Receipt first = this.session.onPublish(inbound(1, 5, false));
		assertThat(first.delivery()).isNotNull();
		assertThat(first.reply()).as("no PUBACK before the application has it").isEmpty();
		// [MQTT-4.3.2-4]: PUBACK with the PUBLISH's id once the application has the
		// message
		assertThat(this.session.onDelivered(first.delivery())).containsExactly(new PubAck(5));
		// [MQTT-4.3.2-5]: after the PUBACK a PUBLISH with that id is a new message,
		// whether DUP is set or not
		SessionDriver.Receipt resent = this.session.onPublish(inbound(1, 5, true));
		assertThat(resent.delivery()).isNotNull();
		assertThat(this.session.onDelivered(resent.delivery())).containsExactly(new PubAck(5));
		SessionDriver.Receipt next = this.session.onPublish(inbound(1, 5, false));
		assertThat(next.delivery()).isNotNull();
		assertThat(this.session.onDelivered(next.delivery())).containsExactly(new PubAck(5));
	}

	@Test
	void aRefusedPubAckOrPubRecAcknowledgesThePublishAndItIsNeverSentAgain() {
		this.session.onConnected(false);
		OutgoingMessage q1 = message("q1", 1);
		OutgoingMessage q2 = message("q2", 2);
		describe(this.session.publish(q1));
		describe(this.session.publish(q2));
		// [MQTT-4.4.0-2]: a PUBACK or PUBREC of 0x80 or more acknowledges the PUBLISH:
		// the exchange ends there, no PUBREL, and nothing goes again on a resumed session
		assertThat(this.session.onPubAck(new PubAck(q1.packetId(), 0x87, PacketProperties.NONE))).isEmpty();
		assertThat(this.session.onPubRec(new PubRec(q2.packetId(), 0x97, PacketProperties.NONE))).isEmpty();
		assertThat(q1.completion()).isCompletedExceptionally();
		assertThat(q2.completion()).isCompletedExceptionally();
		assertThat(this.session.inflightCount()).isZero();
		this.session.onDisconnected();
		assertThat(this.session.onConnected(true)).isEmpty();
	}

	@Test
	void pubRelForAnUnknownIdIsStillAnsweredWithPubComp() {
		assertThat(this.session.onPubRel(new PubRel(44))).containsExactly(new PubComp(44));
	}

	@Test
	void grantedSubscriptionsAreRenewedEachWithItsOwnQosWhenTheSessionIsLost() {
		this.session.onConnected(false);
		Subscribe s1 = this.session.subscribe(List.of(new Subscription("a/#", 2)));
		Subscribe s2 = this.session.subscribe(List.of(new Subscription("b", 0), new Subscription("c", 1)));
		assertThat(this.session.onSubAck(new SubAck(s1.packetId(), List.of(2)))).isEqualTo(s1);
		this.session.onSubAck(new SubAck(s2.packetId(), List.of(0, SubAck.FAILURE)));
		assertThat(this.session.subscriptions()).containsOnly(java.util.Map.entry("a/#", 2),
				java.util.Map.entry("b", 0));
		Unsubscribe u = this.session.unsubscribe(List.of("b"));
		this.session.onUnsubAck(new UnsubAck(u.packetId()));
		this.session.onDisconnected();
		List<Packet> renewal = this.session.onConnected(false);
		assertThat(renewal).hasSize(1);
		assertThat(((Subscribe) renewal.get(0)).subscriptions()).containsExactly(new Subscription("a/#", 2));
		// a resumed session renews nothing
		this.session.onSubAck(new SubAck(((Subscribe) renewal.get(0)).packetId(), List.of(2)));
		this.session.onDisconnected();
		assertThat(this.session.onConnected(true)).isEmpty();
	}

	@Test
	void aSubAckArrivingAfterALaterUnsubscribeOfTheSameFilterDoesNotPutTheFilterBack() {
		this.session.onConnected(false);
		Subscribe s = this.session.subscribe(List.of(new Subscription("late", 1)));
		// the application unsubscribes before the broker's SUBACK is in; the broker
		// handles both in order
		Unsubscribe u = this.session.unsubscribe(List.of("late"));
		this.session.onSubAck(new SubAck(s.packetId(), List.of(1)));
		assertThat(this.session.subscriptions()).as("renewed on the next connection otherwise")
			.doesNotContainKey("late");
		this.session.onUnsubAck(new UnsubAck(u.packetId()));
		this.session.onDisconnected();
		assertThat(this.session.onConnected(false)).isEmpty();
	}

	@Test
	void unacknowledgedSubscribeIsResentOnReconnect() {
		this.session.onConnected(false);
		Subscribe s = this.session.subscribe(List.of(new Subscription("x", 1)));
		this.session.onDisconnected();
		assertThat(this.session.onConnected(true)).containsExactly(s);
	}

	@Test
	void failAllFailsEveryMessageAndGivesBackTheirWindowSlots() {
		InflightWindow window = new InflightWindow(3);
		assertThat(window.tryAcquire() && window.tryAcquire() && window.tryAcquire()).isTrue();
		OutgoingMessage queued = message("q", 1).holding(window);
		this.session.publish(queued);
		this.session.onConnected(false).forEach((p) -> ((Publish) p).payload().release());
		OutgoingMessage waiting = message("w", 1).holding(window);
		this.session.publish(message("x", 1).holding(window)).forEach((p) -> ((Publish) p).payload().release());
		this.session.publish(waiting);
		assertThat(window.inUse()).isEqualTo(3);
		IllegalStateException cause = new IllegalStateException("closed");
		assertThat(this.session.failAll(cause)).isEqualTo(3);
		assertThat(queued.completion()).isCompletedExceptionally();
		assertThat(waiting.completion()).isCompletedExceptionally();
		assertThat(window.inUse()).isZero();
	}

	@Test
	void packetIdsWrapNeverZeroNeverReusedWhileInFlightOver300000Operations() {
		PacketIdPool pool = new PacketIdPool();
		Set<Integer> held = new HashSet<>();
		int longLived = pool.acquire();
		int last = longLived;
		boolean wrapped = false;
		for (int i = 0; i < 300_000; i++) {
			int id = pool.acquire();
			// non-zero and not in use [MQTT-2.2.1-3]
			assertThat(id).isBetween(1, 65_535).isNotEqualTo(longLived);
			assertThat(held.add(id)).as("id %d reused while in flight", id).isTrue();
			if (id < last) {
				wrapped = true;
			}
			last = id;
			if (held.size() > 100) {
				int oldest = held.iterator().next();
				held.remove(oldest);
				pool.release(oldest);
			}
		}
		assertThat(wrapped).isTrue();
		assertThat(pool.inUse()).isEqualTo(held.size() + 1);
	}

	@Test
	void aNewMessageNeverTakesThePacketIdOfOneStillInFlight() {
		SessionDriver busy = new SessionDriver(new Session(3));
		busy.onConnected(false);
		OutgoingMessage held = message("held", 2);
		describe(busy.publish(held));
		OutgoingMessage released = message("released", 2);
		describe(busy.publish(released));
		busy.onPubRec(new PubRec(released.packetId()));
		Set<Integer> taken = Set.of(held.packetId(), released.packetId());
		// past 65,535 ids, wrapping to 1 and 2: one awaits its PUBREC, the other its
		// PUBCOMP
		for (int i = 0; i < 70_000; i++) {
			int qos = 1 + (i % 2);
			Publish publish = (Publish) busy.publish(message("m", qos)).get(0);
			// [MQTT-4.3.2-1, MQTT-4.3.3-1]: each new QoS 1 and QoS 2 message takes an
			// unused packet id
			assertThat(publish.packetId()).isBetween(1, 65_535).isNotIn(taken);
			publish.payload().release();
			if (qos == 1) {
				busy.onPubAck(new PubAck(publish.packetId()));
			}
			else {
				busy.onPubRec(new PubRec(publish.packetId()));
				busy.onPubComp(new PubComp(publish.packetId()));
			}
		}
	}

	@Test
	void sessionIdsStayUniqueWhileMessagesCycleThroughTheWindowManyTimes() {
		SessionDriver busy = new SessionDriver(new Session(1000));
		busy.onConnected(false);
		List<Integer> inFlight = new ArrayList<>();
		for (int i = 0; i < 300_000; i++) {
			for (Packet p : busy.publish(message("m", 1 + (i % 2)))) {
				Publish publish = (Publish) p;
				assertThat(inFlight).doesNotContain(publish.packetId());
				inFlight.add(publish.packetId());
				publish.payload().release();
			}
			if (inFlight.size() == 1000) {
				int id = inFlight.remove(0);
				busy.onPubAck(new PubAck(id));
				busy.onPubRec(new PubRec(id));
				busy.onPubComp(new PubComp(id));
			}
		}
		assertThat(busy.inflightCount()).isEqualTo(999);
	}

	@Test
	void thePublishersFutureIsAPlainViewThatCannotCompleteTheMessage() {
		this.session.onConnected(false);
		InflightWindow window = new InflightWindow(2);
		assertThat(window.tryAcquire()).isTrue();
		OutgoingMessage m = message("a", 1).holding(window);
		assertThat(describe(this.session.publish(m))).containsExactly("PUBLISH 1 a");
		// the publisher gives up waiting: the session's flow is untouched
		assertThat(m.completion()).isNotInstanceOf(SessionOutput.class);
		m.completion().cancel(false);
		assertThat(this.session.inflightCount()).isEqualTo(1);
		assertThat(window.inUse()).isEqualTo(1);
		assertThat(this.session.onPubAck(new PubAck(1))).isEmpty();
		assertThat(this.session.others()).isEmpty();
		assertThat(this.session.inflightCount()).isZero();
		assertThat(window.inUse()).isZero();
	}

	@Test
	void everyEventAnswersThroughTheSameOutputList() {
		this.session.onConnected(false);
		// an acknowledgement for nothing in flight is reported, not dropped without a
		// word
		assertThat(this.session.onPubAck(new PubAck(9))).isEmpty();
		assertThat(this.session.others()).containsExactly(new SessionOutput.Unexpected("PUBACK", 9));
		assertThat(this.session.onPubComp(new PubComp(9))).isEmpty();
		assertThat(this.session.others()).containsExactly(new SessionOutput.Unexpected("PUBCOMP", 9));
		// a redelivery that is not delivered again is handed back for its payload to be
		// released
		InboundDelivery first = this.session.onPublish(inbound(2, 3, false)).delivery();
		Publish resent = inbound(2, 3, true);
		assertThat(this.session.onPublish(resent).delivery()).isNull();
		assertThat(this.session.others()).containsExactly(new SessionOutput.Discard(resent));
		assertThat(this.session.onDelivered(first)).containsExactly(new PubRec(3));
	}

	@Test
	void anUnhandledDeliveryIsNeverAcknowledgedAndDoesNotHoldBackTheOnesAfterIt() {
		this.session.onConnected(true);
		InboundDelivery first = this.session.onPublish(inbound(1, 1, false)).delivery();
		InboundDelivery second = this.session.onPublish(inbound(1, 2, false)).delivery();
		InboundDelivery third = this.session.onPublish(inbound(1, 3, false)).delivery();
		assertThat(this.session.onDelivered(second)).isEmpty();
		first.markUnhandled();
		// the first is left for the broker to send again; the second is acknowledged
		// behind it
		assertThat(this.session.onDelivered(first)).containsExactly(new PubAck(2));
		assertThat(this.session.onDelivered(third)).containsExactly(new PubAck(3));
	}

	@Test
	void anUnhandledQos2DeliveryIsForgottenSoThatItsResendIsDelivered() {
		this.session.onConnected(true);
		InboundDelivery delivery = this.session.onPublish(inbound(2, 7, false)).delivery();
		delivery.markUnhandled();
		assertThat(this.session.onDelivered(delivery)).isEmpty();
		assertThat(this.session.receivedQos2Count()).isZero();
		this.session.onDisconnected();
		this.session.onConnected(true);
		SessionDriver.Receipt resend = this.session.onPublish(inbound(2, 7, true));
		assertThat(resend.delivery()).isNotNull();
		assertThat(this.session.onDelivered(resend.delivery())).containsExactly(new PubRec(7));
	}

}
