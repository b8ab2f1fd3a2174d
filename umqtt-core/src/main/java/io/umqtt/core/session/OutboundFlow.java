package io.umqtt.core.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import io.umqtt.core.MqttException;
import io.umqtt.core.ReasonCode;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import org.jspecify.annotations.Nullable;

/**
 * The session's outgoing messages: QoS 1 (PUBLISH → PUBACK) and QoS 2 (PUBLISH → PUBREC →
 * PUBREL → PUBCOMP) in a window of {@code maxInflight} messages, more waiting in a queue
 * in order; what is resent on a resumed session and queued again on a lost one; the
 * poison-publish count. Confined to the session's thread; {@link Session} is its only
 * user.
 */
final class OutboundFlow {

	private final int maxInflight;

	/**
	 * How many may be in flight on this connection: {@link #maxInflight}, or the MQTT 5
	 * server's Receive Maximum when smaller [MQTT-3.3.4-7].
	 */
	private int sendQuota;

	private final PacketIdPool packetIds;

	private final StoreRecorder recorder;

	/** In flight, by packet id and in the order first sent. */
	private final InflightList inflight = new InflightList();

	/** Waiting for a connection or for room in the window. */
	private final ArrayDeque<OutgoingMessage> queued = new ArrayDeque<>();

	/** Payload bytes of the queued messages. */
	private long queuedBytes;

	/**
	 * Connections that may close before a PUBLISH is acknowledged, before its publish
	 * fails.
	 */
	private int maxPublishAttempts = Integer.MAX_VALUE;

	private boolean connected;

	/**
	 * The packet id of the PUBLISH the last connection closed on (see
	 * {@link #onDisconnected}), not yet counted against it: counted when the next
	 * connection is accepted with no failed attempt in between, cleared by a failed
	 * attempt; else 0.
	 */
	private int suspected;

	/**
	 * Isolation after a close with evidence (see {@link #onDisconnected}): the messages
	 * in flight at that close go again one at a time, the next only after the previous
	 * one's PUBACK or PUBREC, and new messages wait behind them. The only check on the
	 * normal path.
	 */
	private boolean isolating;

	/**
	 * Messages marked {@link OutgoingMessage#isolated} not yet acknowledged or failed.
	 */
	private int isolatedLeft;

	/**
	 * The isolated message sent alone on this connection, awaiting its PUBACK or PUBREC;
	 * else {@code null}.
	 */
	private @Nullable OutgoingMessage alone;

	/**
	 * The newest PUBLISH resent when this connection was accepted, when two or more were;
	 * else {@code null}. A connection that ends while it is still unacknowledged ended in
	 * the middle of its resend burst: the broker may have refused any PUBLISH of it, and
	 * an acknowledgement of an earlier one read after it hides which, so the next
	 * connection isolates them ({@link #onDisconnected}).
	 */
	private @Nullable OutgoingMessage resentNewest;

	/** PUBLISHes resent on this connection so far. */
	private int resent;

	OutboundFlow(int maxInflight, PacketIdPool packetIds, StoreRecorder recorder) {
		this.maxInflight = maxInflight;
		this.sendQuota = maxInflight;
		this.packetIds = packetIds;
		this.recorder = recorder;
	}

	void maxPublishAttempts(int attempts) {
		this.maxPublishAttempts = attempts;
	}

	/** Takes over the in-flight messages of a stored session, in the order first sent. */
	List<OutgoingMessage> restore(List<SessionStore.Outgoing> outgoing) {
		List<OutgoingMessage> restored = new ArrayList<>(outgoing.size());
		for (SessionStore.Outgoing stored : outgoing) {
			OutgoingMessage message = new OutgoingMessage(stored.topic(), stored.qos(), stored.retain(),
					stored.payload(), stored.properties());
			this.packetIds.claim(stored.packetId());
			message.assign(stored.packetId());
			if (stored.released()) {
				message.released();
			}
			this.inflight.link(message);
			restored.add(message);
		}
		return restored;
	}

	void publish(OutgoingMessage message, List<SessionOutput> out) {
		this.queued.add(message);
		this.queuedBytes += message.payload().length;
		if (this.connected) {
			drain(out);
		}
	}

	void onPubAck(PubAck ack, List<SessionOutput> out) {
		OutgoingMessage message = this.inflight.get(ack.packetId());
		if (message == null || message.qos() != 1) {
			out.add(new SessionOutput.Unexpected("PUBACK", ack.packetId()));
			return;
		}
		if (ack.reasonCode() >= ReasonCode.UNSPECIFIED_ERROR) {
			// MQTT 5: the server refused it, and it is not sent again [MQTT-4.4.0-2];
			// 0x10 (no matching subscribers) is success
			refused(message, 4, ack.reasonCode(), ack.properties().reasonString());
		}
		else {
			complete(message);
		}
		drain(out);
	}

	void onPubRec(PubRec rec, List<SessionOutput> out) {
		OutgoingMessage message = this.inflight.get(rec.packetId());
		if (message == null || message.qos() != 2) {
			out.add(new SessionOutput.Unexpected("PUBREC", rec.packetId()));
			return;
		}
		if (rec.reasonCode() >= ReasonCode.UNSPECIFIED_ERROR) {
			// MQTT 5: refused; the exchange ends here, without PUBREL [MQTT-4.3.3-4],
			// and the PUBLISH is not sent again [MQTT-4.4.0-2]
			refused(message, 5, rec.reasonCode(), rec.properties().reasonString());
			drain(out);
			return;
		}
		message.released();
		// PUBRELs go, now and on a resumed session, in the order of their PUBRECs
		// [MQTT-4.6.0-4]
		this.inflight.moveToNewest(message);
		// taken before it went again, if it was to: its PUBREL goes now
		this.inflight.sentAgain(message);
		if (this.isolating) {
			// taken by the broker: a PUBREL cannot be what it rejects
			settled(message);
		}
		try {
			this.recorder.store.outgoingReleased(rec.packetId());
			this.recorder.stored();
		}
		catch (RuntimeException ex) {
			this.recorder.failed("recording PUBREC for packet id " + rec.packetId(), ex);
		}
		// the released message stands for its PUBREL
		out.add(message);
		if (this.isolating) {
			drain(out);
		}
	}

	void onPubComp(PubComp comp, List<SessionOutput> out) {
		OutgoingMessage message = this.inflight.get(comp.packetId());
		if (message == null || message.state() != OutgoingMessage.State.RELEASED) {
			out.add(new SessionOutput.Unexpected("PUBCOMP", comp.packetId()));
			return;
		}
		complete(message);
		drain(out);
	}

	/**
	 * A connection is up. On a resumed session every message in flight goes again, in
	 * order [MQTT-4.4.0-1]: first the PUBREL of each released one, in the order their
	 * PUBRECs arrived [MQTT-4.6.0-4], at once (a PUBREL is what frees the broker's slot),
	 * then the PUBLISH of each other one with DUP, as many as this connection's send
	 * quota leaves room for, counting the released ones, the rest as acknowledgements
	 * free room [MQTT-3.3.4-7] (or one at a time when isolating). When the broker has
	 * lost the session, a message it had taken (PUBREC) is its now and completes; the
	 * rest are queued again ahead of the others. Then the queue drains into the window,
	 * behind the resends.
	 */
	void onConnected(boolean sessionPresent, List<SessionOutput> out) {
		this.connected = true;
		countSuspected(out);
		this.resentNewest = null;
		this.resent = 0;
		if (sessionPresent) {
			for (OutgoingMessage message = this.inflight.oldest(); message != null; message = message.next) {
				if (message.state() == OutgoingMessage.State.RELEASED) {
					this.inflight.sentAgain(message);
					out.add(new SessionOutput.Send(new PubRel(message.packetId())));
				}
				else {
					this.inflight.awaitResend(message);
				}
			}
		}
		else {
			List<OutgoingMessage> again = new ArrayList<>();
			while (this.inflight.oldest() != null) {
				OutgoingMessage message = this.inflight.oldest();
				this.inflight.unlink(message);
				forgetStored(message.packetId());
				this.packetIds.release(message.packetId());
				if (message.state() == OutgoingMessage.State.RELEASED) {
					message.succeed();
				}
				else {
					message.requeue();
					again.add(message);
				}
			}
			for (int i = again.size() - 1; i >= 0; i--) {
				this.queued.addFirst(again.get(i));
				this.queuedBytes += again.get(i).payload().length;
			}
		}
		drain(out);
	}

	/**
	 * The connection is gone. A broker that rejects a PUBLISH (a QoS, topic or size it
	 * does not accept) closes the connection right after reading it, and the connection
	 * names the last PUBLISH written when the evidence is clear
	 * ({@code suspectPacketId}). With pipelining the broker may have rejected any PUBLISH
	 * still unacknowledged, so such a close blames none by itself: it starts isolation,
	 * and the PUBLISHes in flight go again one at a time. Only a close naming the message
	 * sent alone during isolation suspects it. A killed or restarting broker can close
	 * the same way, but a broker that rejects a message is up and accepts the very next
	 * connection attempt, while a restarting one refuses attempts for a while: so the
	 * suspicion counts against the message only when the next connection is accepted with
	 * no failed attempt in between ({@link #onConnected}), and {@link #connectFailed()}
	 * or {@link #clearSuspicion()} clear it. After {@code maxPublishAttempts} counted
	 * closes its publish fails. Any other close counts against no message.
	 */
	void onDisconnected(int suspectPacketId, List<SessionOutput> out) {
		this.suspected = 0;
		OutgoingMessage sentAlone = this.alone;
		this.alone = null;
		if (this.connected && suspectPacketId != 0) {
			OutgoingMessage suspect = this.inflight.get(suspectPacketId);
			if (suspect != null && suspect.state() == OutgoingMessage.State.PUBLISHED) {
				if (suspect == sentAlone) {
					this.suspected = suspectPacketId;
				}
				else {
					isolate();
				}
			}
		}
		OutgoingMessage burst = this.resentNewest;
		this.resentNewest = null;
		if (this.connected && !this.isolating && burst != null && burst.state() == OutgoingMessage.State.PUBLISHED
				&& this.inflight.get(burst.packetId()) == burst) {
			// ended before its resend burst was acknowledged: one at a time next time,
			// blaming none
			isolate();
		}
		this.connected = false;
	}

	/**
	 * Marks every PUBLISH in flight (not the released ones: a PUBREL cannot be rejected)
	 * for isolation; none of them is suspected yet.
	 */
	private void isolate() {
		for (OutgoingMessage message = this.inflight.oldest(); message != null; message = message.next) {
			if (message.state() == OutgoingMessage.State.PUBLISHED && !message.isolated()) {
				message.isolated(true);
				this.isolatedLeft++;
			}
		}
		this.isolating = this.isolatedLeft > 0;
	}

	/** An isolated message was acknowledged (PUBACK, PUBREC) or failed. */
	private void settled(OutgoingMessage message) {
		if (message == this.alone) {
			this.alone = null;
		}
		if (message.isolated()) {
			message.isolated(false);
			this.isolatedLeft--;
		}
	}

	/**
	 * Isolation: sends the next isolated message alone, the oldest in flight first (a
	 * resend), else the queue's head (requeued when the broker lost the session); ends
	 * isolation once none is left.
	 * @return whether isolation goes on (the normal drain waits)
	 */
	private boolean drainIsolated(List<SessionOutput> out) {
		if (this.alone != null) {
			return true;
		}
		for (OutgoingMessage message = this.inflight.oldest(); message != null; message = message.next) {
			if (message.resendPending()) {
				// in flight and not yet sent on this connection
				if (this.inflight.onWire() >= this.sendQuota) {
					// released ones fill the quota: a PUBCOMP makes room
					return true;
				}
				if (!message.isolated()) {
					message.isolated(true);
					this.isolatedLeft++;
				}
				resendNow(message, out);
				this.alone = message;
				return true;
			}
		}
		if (this.isolatedLeft == 0) {
			this.isolating = false;
			return false;
		}
		while (!this.queued.isEmpty()) {
			OutgoingMessage next = this.queued.peek();
			if (next.qos() != 0 && this.inflight.count() >= this.sendQuota) {
				return true;
			}
			this.queued.poll();
			this.queuedBytes -= next.payload().length;
			if (next.qos() == 0) {
				out.add(next);
				next.succeed();
			}
			else if (sendFirst(next, out)) {
				this.alone = next;
				return true;
			}
		}
		// nothing isolated is left anywhere
		this.isolatedLeft = 0;
		this.isolating = false;
		return false;
	}

	/**
	 * A connection attempt failed: the broker was not up, so the last close was no
	 * rejection.
	 */
	void connectFailed() {
		this.suspected = 0;
	}

	/**
	 * The last close is known to be no rejection (the broker lost the session: it
	 * restarted).
	 */
	void clearSuspicion() {
		this.suspected = 0;
	}

	/**
	 * Counts the suspicion of the last close against its message; fails it after the
	 * maximum.
	 */
	private void countSuspected(List<SessionOutput> out) {
		int packetId = this.suspected;
		this.suspected = 0;
		if (packetId == 0) {
			return;
		}
		OutgoingMessage suspect = this.inflight.get(packetId);
		if (suspect != null && suspect.state() == OutgoingMessage.State.PUBLISHED
				&& suspect.countClosedBeforeAck() >= this.maxPublishAttempts) {
			this.inflight.unlink(suspect);
			forgetStored(suspect.packetId());
			this.packetIds.release(suspect.packetId());
			settled(suspect);
			suspect.fail(new MqttException("The connection closed " + suspect.closedBeforeAck()
					+ " times right after this PUBLISH was sent and before the broker acknowledged it, "
					+ "each time followed by a connection the broker accepted at once: the broker rejects it "
					+ "(a QoS, topic or size it does not accept?), so it is not sent again"));
			out.add(new SessionOutput.GivenUp(suspect));
		}
	}

	/** Sends a message in flight from an earlier connection again, with DUP. */
	private void resendNow(OutgoingMessage message, List<SessionOutput> out) {
		this.inflight.sentAgain(message);
		out.add(new SessionOutput.Send(message.toPublish(true)));
		this.resent++;
		if (this.resent > 1) {
			this.resentNewest = message;
		}
	}

	/**
	 * Resends what the send quota has room for, oldest first.
	 * @return whether every resend went out (the queue may drain behind them)
	 */
	private boolean drainResends(List<SessionOutput> out) {
		for (OutgoingMessage message = this.inflight.oldest(); message != null
				&& this.inflight.pendingResends() > 0; message = message.next) {
			if (message.resendPending()) {
				if (this.inflight.onWire() >= this.sendQuota) {
					return false;
				}
				resendNow(message, out);
			}
		}
		return true;
	}

	/** Fails every message, in flight or queued, and forgets it. */
	int failAll(Throwable cause) {
		int failed = 0;
		this.isolating = false;
		this.isolatedLeft = 0;
		this.alone = null;
		while (this.inflight.oldest() != null) {
			OutgoingMessage message = this.inflight.oldest();
			this.inflight.unlink(message);
			this.packetIds.release(message.packetId());
			message.isolated(false);
			message.fail(cause);
			failed++;
		}
		for (OutgoingMessage message : this.queued) {
			message.isolated(false);
			message.fail(cause);
			failed++;
		}
		this.queued.clear();
		this.queuedBytes = 0;
		return failed;
	}

	boolean dropOldestQueued(Throwable cause) {
		OutgoingMessage dropped = this.queued.poll();
		if (dropped == null) {
			return false;
		}
		this.queuedBytes -= dropped.payload().length;
		settled(dropped);
		dropped.fail(cause);
		return true;
	}

	boolean isolating() {
		return this.isolating;
	}

	int inflightCount() {
		return this.inflight.count();
	}

	int queuedCount() {
		return this.queued.size();
	}

	long queuedBytes() {
		return this.queuedBytes;
	}

	int maxInflight() {
		return this.maxInflight;
	}

	/** The server's Receive Maximum for the connection that starts now. */
	void serverReceiveMaximum(int receiveMaximum) {
		this.sendQuota = Math.min(this.maxInflight, receiveMaximum);
	}

	private void complete(OutgoingMessage message) {
		if (this.isolating) {
			settled(message);
		}
		this.inflight.unlink(message);
		forgetStored(message.packetId());
		this.packetIds.release(message.packetId());
		message.succeed();
	}

	/**
	 * MQTT 5: a PUBACK or PUBREC reason code of 0x80 or more: the message is done with
	 * and fails with that code.
	 */
	private void refused(OutgoingMessage message, int packetType, int reasonCode, String reasonString) {
		if (this.isolating) {
			settled(message);
		}
		this.inflight.unlink(message);
		forgetStored(message.packetId());
		this.packetIds.release(message.packetId());
		message.fail(new MqttException(
				"The server refused the PUBLISH: " + ReasonCode.describe(reasonCode, packetType)
						+ ((reasonString != null) ? ": " + reasonString : ""),
				MqttException.NO_CODE, reasonCode, null));
	}

	private void forgetStored(int packetId) {
		try {
			this.recorder.store.outgoingDone(packetId);
			this.recorder.stored();
		}
		catch (RuntimeException ex) {
			this.recorder.failed("recording that packet id " + packetId + " is done", ex);
		}
	}

	private void drain(List<SessionOutput> out) {
		if (this.isolating && (!this.connected || drainIsolated(out))) {
			return;
		}
		if (this.inflight.pendingResends() > 0 && (!this.connected || !drainResends(out))) {
			return;
		}
		while (this.connected && !this.queued.isEmpty()) {
			OutgoingMessage next = this.queued.peek();
			if (next.qos() == 0) {
				this.queued.poll();
				this.queuedBytes -= next.payload().length;
				// handed to the connection: as far as QoS 0 goes
				out.add(next);
				next.succeed();
				continue;
			}
			if (this.inflight.count() >= this.sendQuota) {
				break;
			}
			this.queued.poll();
			this.queuedBytes -= next.payload().length;
			sendFirst(next, out);
		}
	}

	/**
	 * Gives a QoS 1 or 2 message taken from the queue its packet id, records it and sends
	 * it.
	 * @return whether it went out (else its publish failed with the store's reason)
	 */
	private boolean sendFirst(OutgoingMessage next, List<SessionOutput> out) {
		next.assign(this.packetIds.acquire());
		if (this.recorder.persistent) {
			try {
				if (next.properties() == PacketProperties.NONE) {
					this.recorder.store.outgoingSent(next.packetId(), next.topic(), next.qos(), next.retain(),
							next.payload());
				}
				else {
					this.recorder.store.outgoingSent(next.packetId(), next.topic(), next.qos(), next.retain(),
							next.payload(), next.properties());
				}
				this.recorder.stored();
			}
			catch (RuntimeException ex) {
				// not recorded, so not sent: the publish fails with the store's reason
				this.packetIds.release(next.packetId());
				this.recorder.failed("recording a PUBLISH before sending it", ex);
				settled(next);
				next.fail(new MqttException(
						"The session store could not record the message, so it was " + "not sent: " + ex.getMessage(),
						ex));
				return false;
			}
		}
		this.inflight.link(next);
		out.add(next);
		return true;
	}

}
