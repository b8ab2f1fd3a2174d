package io.umqtt.core.session;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;

/**
 * The session's received messages: each QoS 1 and 2 message handed out for delivery once;
 * QoS 2 ids kept from the PUBLISH to the PUBREL so that a redelivery is not delivered
 * again; acknowledgements sent after delivery, in the order the PUBLISHes arrived
 * [MQTT-4.6.0-2, MQTT-4.6.0-3]. Confined to the session's thread; {@link Session} is its
 * only user.
 */
final class InboundFlow {

	private final StoreRecorder recorder;

	/** Received QoS 2 ids until PUBREL, with how far each got. */
	private final Map<Integer, Received> receivedQos2 = new HashMap<>();

	/** How far a received QoS 2 message got before its PUBREL. */
	private enum Received {

		/**
		 * Recorded by an earlier process that ended before the application had it:
		 * deliver the resend.
		 */
		STORED,

		/** Handed out for delivery, not yet handled: a resend is not delivered again. */
		DELIVERING,

		/**
		 * Handled by the application: PUBREC may go out, a resend is answered with it.
		 */
		DELIVERED

	}

	/**
	 * Received QoS 1 and 2 messages whose acknowledgements wait for delivery, in arrival
	 * order.
	 */
	private final ArrayDeque<InboundDelivery> unacknowledged = new ArrayDeque<>();

	/**
	 * Counts connections up and down: a delivery from an earlier epoch cannot be
	 * acknowledged on this one.
	 */
	private long epoch;

	private boolean connected;

	InboundFlow(StoreRecorder recorder) {
		this.recorder = recorder;
	}

	/** Takes over the received QoS 2 ids of a stored session. */
	void restore(List<Integer> received, List<Integer> delivered) {
		// recorded but never handled: the application has not seen it, so the broker's
		// resend is
		// delivered (once) and acknowledged after that, not swallowed as a duplicate
		received.forEach((id) -> this.receivedQos2.put(id, Received.STORED));
		delivered.forEach((id) -> this.receivedQos2.put(id, Received.DELIVERED));
	}

	/**
	 * A connection is up. Deliveries still running belong to the old one. When the broker
	 * has lost the session, it forgot the QoS 2 messages it was sending, and so does the
	 * session.
	 */
	void onConnected(boolean sessionPresent) {
		this.connected = true;
		this.epoch++;
		this.unacknowledged.clear();
		if (!sessionPresent) {
			this.receivedQos2.keySet().forEach(this::storeReleased);
			this.receivedQos2.clear();
		}
	}

	/**
	 * The connection is gone: deliveries still running belong to it, their acks cannot go
	 * out on it.
	 */
	void onDisconnected() {
		this.connected = false;
		this.epoch++;
		this.unacknowledged.clear();
	}

	/**
	 * A PUBLISH arrived.
	 * @param publish the PUBLISH
	 * @param out receives the {@link InboundDelivery} to hand to the application, or
	 * {@link SessionOutput.Discard} when it is not delivered (a redelivery of a QoS 2
	 * message already delivered or being delivered, or one the store could not record),
	 * and what to answer now
	 */
	void onPublish(Publish publish, List<SessionOutput> out) {
		InboundDelivery delivery = new InboundDelivery(publish, this.epoch);
		if (publish.qos() == 0) {
			out.add(delivery);
			return;
		}
		if (publish.qos() == 2) {
			Received seen = this.receivedQos2.get(publish.packetId());
			if (seen == Received.STORED) {
				// an earlier process recorded it and ended before the application had it:
				// this
				// resend is the one delivery (already recorded as received)
				this.receivedQos2.put(publish.packetId(), Received.DELIVERING);
				this.unacknowledged.add(delivery);
				out.add(delivery);
				return;
			}
			if (seen != null) {
				// Seen before: never deliver twice. Once delivered, answer the resend at
				// once.
				out.add(new SessionOutput.Discard(publish));
				if (seen == Received.DELIVERED) {
					out.add(new SessionOutput.Send(new PubRec(publish.packetId())));
				}
				return;
			}
			try {
				this.recorder.store.incomingReceived(publish.packetId());
				this.recorder.stored();
			}
			catch (RuntimeException ex) {
				// not recorded: neither delivered nor acknowledged, so the broker sends
				// it again
				// on the next connection
				this.recorder.failed("recording a received QoS 2 message (packet id " + publish.packetId() + ")", ex);
				out.add(new SessionOutput.Discard(publish));
				return;
			}
			this.receivedQos2.put(publish.packetId(), Received.DELIVERING);
		}
		this.unacknowledged.add(delivery);
		out.add(delivery);
	}

	/**
	 * The application has handled a message: acknowledge it, and any received after it
	 * that were waiting behind it. A delivery {@linkplain InboundDelivery#markUnhandled()
	 * nobody handled} is not acknowledged (a QoS 2 one is forgotten, so that its resend
	 * is delivered), and does not hold back the acknowledgements of the messages after
	 * it.
	 * @param delivery what {@link #onPublish} handed out
	 * @param out receives the PUBACKs and PUBRECs to send, in arrival order
	 */
	void onDelivered(InboundDelivery delivery, List<SessionOutput> out) {
		Publish publish = delivery.publish();
		if (publish.qos() == 0) {
			return;
		}
		if (delivery.epoch() != this.epoch) {
			if (delivery.isUnhandled()) {
				if (publish.qos() == 2) {
					forgetUnhandled(publish);
				}
				return;
			}
			// Its connection is gone; a resent QoS 2 PUBLISH is answered at once, never
			// redelivered.
			if (publish.qos() == 2 && this.receivedQos2.get(publish.packetId()) == Received.DELIVERING) {
				this.receivedQos2.put(publish.packetId(), Received.DELIVERED);
				storeDelivered(publish.packetId());
				// the broker still waits for the PUBREC of this id (its resend on this
				// connection, if
				// it came, was not answered while the application handled the first copy)
				if (this.connected) {
					out.add(new SessionOutput.Send(new PubRec(publish.packetId())));
				}
			}
			return;
		}
		delivery.markDone();
		if (delivery.isUnhandled() && publish.qos() == 2) {
			forgetUnhandled(publish);
		}
		while (!this.unacknowledged.isEmpty() && this.unacknowledged.peek().isDone()) {
			InboundDelivery done = this.unacknowledged.poll();
			if (done.isUnhandled()) {
				// never acknowledged: the broker sends it again on the next connection;
				// the ones
				// after it are still acknowledged in the order they arrived
				continue;
			}
			Publish head = done.publish();
			if (head.qos() == 1) {
				out.add(new SessionOutput.Send(new PubAck(head.packetId())));
			}
			else {
				this.receivedQos2.put(head.packetId(), Received.DELIVERED);
				storeDelivered(head.packetId());
				out.add(new SessionOutput.Send(new PubRec(head.packetId())));
			}
		}
	}

	private void storeDelivered(int packetId) {
		try {
			this.recorder.store.incomingDelivered(packetId);
			this.recorder.stored();
		}
		catch (RuntimeException ex) {
			this.recorder.failed("recording that received packet id " + packetId + " was delivered", ex);
		}
	}

	private void storeReleased(int packetId) {
		try {
			this.recorder.store.incomingReleased(packetId);
			this.recorder.stored();
		}
		catch (RuntimeException ex) {
			this.recorder.failed("recording PUBREL for received packet id " + packetId, ex);
		}
	}

	/**
	 * A QoS 2 message nobody handled is forgotten, so that the broker's resend is
	 * delivered.
	 */
	private void forgetUnhandled(Publish publish) {
		if (this.receivedQos2.remove(publish.packetId()) != null) {
			storeReleased(publish.packetId());
		}
	}

	/**
	 * A PUBREL: the QoS 2 exchange is over; the id may be used for a new message.
	 * @param rel the PUBREL
	 * @param out receives the PUBCOMP of the same id, sent even for an unknown one
	 * [MQTT-4.3.3-11]
	 */
	void onPubRel(PubRel rel, List<SessionOutput> out) {
		if (this.receivedQos2.remove(rel.packetId()) != null) {
			storeReleased(rel.packetId());
		}
		out.add(new SessionOutput.Send(new PubComp(rel.packetId())));
	}

	/** Forgets every received message, for a final disconnect or a new clean session. */
	void clear() {
		this.receivedQos2.clear();
		this.unacknowledged.clear();
	}

	int receivedQos2Count() {
		return this.receivedQos2.size();
	}

}
