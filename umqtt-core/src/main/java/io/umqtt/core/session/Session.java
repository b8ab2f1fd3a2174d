package io.umqtt.core.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.umqtt.core.MqttException;
import io.umqtt.core.packet.Packet;
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
 * The state of one MQTT session as the client sees it, and the protocol rules that move it:
 * every event method takes what arrived or what the application asked for, and a list to which
 * it appends what the connection must do, as {@link SessionOutput}s in order (packets to write,
 * messages to deliver, payloads to release). It does no I/O, so every flow is tested without a
 * socket.
 * <ul>
 * <li>Outgoing QoS 1 (PUBLISH → PUBACK) and QoS 2 (PUBLISH → PUBREC → PUBREL → PUBCOMP) in a
 * window of {@code maxInflight} messages; more wait in a queue, in order.</li>
 * <li>Incoming QoS 1 and 2: each message handed out for delivery once; QoS 2 ids kept from the
 * PUBLISH to the PUBREL so a redelivery is not delivered again; acknowledgements sent after
 * delivery, in the order the PUBLISHes arrived [MQTT-4.6.0-2, MQTT-4.6.0-3].</li>
 * <li>On reconnect with a resumed session, unacknowledged PUBLISHes are resent in their
 * original order with DUP set, and PUBREL instead of PUBLISH after a PUBREC [MQTT-4.4.0-1]. When
 * the broker has no session, its state is dropped, messages not yet taken by the broker are
 * sent again and every remembered subscription is renewed, each with its own QoS.</li>
 * </ul>
 * Not thread-safe: confined to the connection's event loop.
 */
public final class Session {

	private final int maxInflight;

	private final PacketIdPool packetIds = new PacketIdPool();

	/** In flight, by packet id. */
	private final InflightTable inflightById = new InflightTable();

	/** In flight, in the order first sent: an intrusive list through the messages. */
	private OutgoingMessage oldest;

	private OutgoingMessage newest;

	private int inflightCount;

	/** Waiting for a connection or for room in the window. */
	private final ArrayDeque<OutgoingMessage> queued = new ArrayDeque<>();

	/** Payload bytes of the queued messages. */
	private long queuedBytes;

	/** Received QoS 2 ids until PUBREL, with how far each got. */
	private final Map<Integer, Received> receivedQos2 = new HashMap<>();

	/** How far a received QoS 2 message got before its PUBREL. */
	private enum Received {

		/** Recorded by an earlier process that ended before the application had it: deliver the resend. */
		STORED,

		/** Handed out for delivery, not yet handled: a resend is not delivered again. */
		DELIVERING,

		/** Handled by the application: PUBREC may go out, a resend is answered with it. */
		DELIVERED

	}

	/** Received QoS 1 and 2 messages whose acknowledgements wait for delivery, in arrival order. */
	private final ArrayDeque<InboundDelivery> unacknowledged = new ArrayDeque<>();

	/** Subscriptions the broker granted, to renew when it has lost the session. */
	private final LinkedHashMap<String, Integer> subscriptions = new LinkedHashMap<>();

	/** SUBSCRIBE and UNSUBSCRIBE packets not yet acknowledged, by packet id. */
	private final LinkedHashMap<Integer, Packet> pendingRequests = new LinkedHashMap<>();

	private boolean connected;

	private long epoch;

	private final SessionStore store;

	/** Whether the store keeps anything (payloads are copied for it only then). */
	private final boolean persistent;

	/** Told about every store call that threw; see {@link #onStoreFailure}. */
	private StoreFailureListener storeFailures = (what, failure) -> {
	};

	/** Whether the last store call succeeded. */
	private boolean storeWorks = true;

	/** Connections that may close before a PUBLISH is acknowledged, before its publish fails. */
	private int maxPublishAttempts = Integer.MAX_VALUE;

	/** Told when a store call throws. Called on the session's thread. */
	@FunctionalInterface
	public interface StoreFailureListener {

		/**
		 * @param what what the session was recording
		 * @param failure what the store threw
		 */
		void failed(String what, RuntimeException failure);

	}

	/**
	 * A session sending at most {@code maxInflight} unacknowledged QoS 1 and 2 messages, its
	 * state in memory only.
	 * @param maxInflight 1 to 65,535
	 */
	public Session(int maxInflight) {
		this(maxInflight, SessionStore.IN_MEMORY);
	}

	/**
	 * A session that records its QoS 1 and 2 state in {@code store}.
	 * @param maxInflight 1 to 65,535
	 * @param store where the state outlives the process
	 */
	public Session(int maxInflight, SessionStore store) {
		if (maxInflight < 1 || maxInflight > 65_535) {
			throw new IllegalArgumentException("In-flight window must be 1..65535, was " + maxInflight);
		}
		this.maxInflight = maxInflight;
		this.store = store;
		this.persistent = store != SessionStore.IN_MEMORY;
	}

	/**
	 * Takes over a stored session: its in-flight messages (resent, with DUP or as PUBREL, when the
	 * broker resumes the session) and its received QoS 2 ids: one delivered is never delivered
	 * twice, one recorded but never delivered is delivered once from the broker's resend. Call
	 * before the first connection.
	 * @param state what the store held
	 * @return the restored messages; nobody waits on their completions
	 */
	public List<OutgoingMessage> restore(SessionStore.State state) {
		List<OutgoingMessage> restored = new ArrayList<>(state.outgoing().size());
		for (SessionStore.Outgoing stored : state.outgoing()) {
			OutgoingMessage message = new OutgoingMessage(stored.topic(), stored.qos(), stored.retain(),
					stored.payload());
			this.packetIds.claim(stored.packetId());
			message.assign(stored.packetId());
			if (stored.released()) {
				message.released();
			}
			link(message);
			restored.add(message);
		}
		// recorded but never handled: the application has not seen it, so the broker's resend is
		// delivered (once) and acknowledged after that, not swallowed as a duplicate
		state.incomingReceived().forEach((id) -> this.receivedQos2.put(id, Received.STORED));
		state.incomingDelivered().forEach((id) -> this.receivedQos2.put(id, Received.DELIVERED));
		return restored;
	}

	/**
	 * Says who hears of store failures. The session's policy when a store call throws: a message
	 * whose PUBLISH could not be recorded fails with the store's exception and gives back its
	 * packet id (and its window slot), and is not sent; a record of progress the broker has made
	 * (PUBREC, PUBACK, PUBCOMP, a received QoS 2 message delivered or released) that could not be
	 * written does not undo that progress, the flow goes on in memory; a received QoS 2 message
	 * that could not be recorded is not delivered nor acknowledged (the broker sends it again on the
	 * next connection). Every failure is reported here.
	 * @param listener the listener
	 */
	public void onStoreFailure(StoreFailureListener listener) {
		this.storeFailures = listener;
	}

	/**
	 * Fails a QoS 1 or 2 publish after {@code attempts} connections closed while it was the oldest
	 * unacknowledged PUBLISH: the broker answers it by closing the connection.
	 * @param attempts 1 or more
	 */
	public void maxPublishAttempts(int attempts) {
		if (attempts < 1) {
			throw new IllegalArgumentException("maxPublishAttempts must be at least 1, was " + attempts);
		}
		this.maxPublishAttempts = attempts;
	}

	/**
	 * The end of a batch of events: lets the store sync before the batch's packets go out.
	 * @return whether the flush succeeded
	 */
	public boolean flushStore() {
		try {
			this.store.flush();
			return true;
		}
		catch (RuntimeException ex) {
			storeFailed("flushing the session store", ex);
			return false;
		}
	}

	/** Whether the last store call succeeded: a store that failed records again. */
	public boolean storeWorks() {
		return this.storeWorks;
	}

	private void storeFailed(String what, RuntimeException failure) {
		this.storeWorks = false;
		this.storeFailures.failed(what, failure);
	}

	private void stored() {
		this.storeWorks = true;
	}

	// ---- outgoing messages ----

	/**
	 * Takes a message to publish; the session owns it from now on. It goes out at once when
	 * connected and there is room (a QoS 0 message completes when handed over), else it waits,
	 * in order.
	 * @param message the message
	 * @param out receives the message (standing for its first PUBLISH) when it goes out now, and any
	 * queued before it that go out with it
	 */
	public void publish(OutgoingMessage message, List<SessionOutput> out) {
		this.queued.add(message);
		this.queuedBytes += message.payload().length;
		if (this.connected) {
			drain(out);
		}
	}

	/**
	 * A PUBACK: the QoS 1 message is delivered.
	 * @param ack the PUBACK
	 * @param out receives the messages the freed room lets out, or {@link SessionOutput.Unexpected}
	 * when no QoS 1 message is in flight with its packet id
	 */
	public void onPubAck(PubAck ack, List<SessionOutput> out) {
		OutgoingMessage message = this.inflightById.get(ack.packetId());
		if (message == null || message.qos() != 1) {
			out.add(new SessionOutput.Unexpected("PUBACK", ack.packetId()));
			return;
		}
		complete(message);
		drain(out);
	}

	/**
	 * A PUBREC: the broker has the QoS 2 message; release it.
	 * @param rec the PUBREC
	 * @param out receives the released message (standing for its PUBREL), or
	 * {@link SessionOutput.Unexpected} when no QoS 2 message is in flight with its packet id
	 */
	public void onPubRec(PubRec rec, List<SessionOutput> out) {
		OutgoingMessage message = this.inflightById.get(rec.packetId());
		if (message == null || message.qos() != 2) {
			out.add(new SessionOutput.Unexpected("PUBREC", rec.packetId()));
			return;
		}
		message.released();
		try {
			this.store.outgoingReleased(rec.packetId());
			stored();
		}
		catch (RuntimeException ex) {
			storeFailed("recording PUBREC for packet id " + rec.packetId(), ex);
		}
		// the released message stands for its PUBREL
		out.add(message);
	}

	/**
	 * A PUBCOMP: the QoS 2 message is delivered.
	 * @param comp the PUBCOMP
	 * @param out receives the messages the freed room lets out, or {@link SessionOutput.Unexpected}
	 * when no released QoS 2 message is in flight with its packet id
	 */
	public void onPubComp(PubComp comp, List<SessionOutput> out) {
		OutgoingMessage message = this.inflightById.get(comp.packetId());
		if (message == null || message.state() != OutgoingMessage.State.RELEASED) {
			out.add(new SessionOutput.Unexpected("PUBCOMP", comp.packetId()));
			return;
		}
		complete(message);
		drain(out);
	}

	private void complete(OutgoingMessage message) {
		unlink(message);
		forgetStored(message.packetId());
		this.packetIds.release(message.packetId());
		message.succeed();
	}

	private void forgetStored(int packetId) {
		try {
			this.store.outgoingDone(packetId);
			stored();
		}
		catch (RuntimeException ex) {
			storeFailed("recording that packet id " + packetId + " is done", ex);
		}
	}

	private void link(OutgoingMessage message) {
		this.inflightById.put(message.packetId(), message);
		message.previous = this.newest;
		message.next = null;
		if (this.newest != null) {
			this.newest.next = message;
		}
		else {
			this.oldest = message;
		}
		this.newest = message;
		this.inflightCount++;
	}

	private void unlink(OutgoingMessage message) {
		this.inflightById.remove(message.packetId());
		if (message.previous != null) {
			message.previous.next = message.next;
		}
		else {
			this.oldest = message.next;
		}
		if (message.next != null) {
			message.next.previous = message.previous;
		}
		else {
			this.newest = message.previous;
		}
		message.previous = null;
		message.next = null;
		this.inflightCount--;
	}

	private void drain(List<SessionOutput> out) {
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
			if (this.inflightCount >= this.maxInflight) {
				break;
			}
			this.queued.poll();
			this.queuedBytes -= next.payload().length;
			next.assign(this.packetIds.acquire());
			if (this.persistent) {
				try {
					this.store.outgoingSent(next.packetId(), next.topic(), next.qos(), next.retain(), next.payload());
					stored();
				}
				catch (RuntimeException ex) {
					// not recorded, so not sent: the publish fails with the store's reason
					this.packetIds.release(next.packetId());
					storeFailed("recording a PUBLISH before sending it", ex);
					next.fail(new MqttException("The session store could not record the message, so it was "
							+ "not sent: " + ex.getMessage(), ex));
					continue;
				}
			}
			link(next);
			out.add(next);
		}
	}

	// ---- incoming messages ----

	/**
	 * A PUBLISH arrived.
	 * @param publish the PUBLISH
	 * @param out receives the {@link InboundDelivery} to hand to the application, or
	 * {@link SessionOutput.Discard} when it is not delivered (a redelivery of a QoS 2 message already
	 * delivered or being delivered, or one the store could not record), and what to answer now
	 */
	public void onPublish(Publish publish, List<SessionOutput> out) {
		InboundDelivery delivery = new InboundDelivery(publish, this.epoch);
		if (publish.qos() == 0) {
			out.add(delivery);
			return;
		}
		if (publish.qos() == 2) {
			Received seen = this.receivedQos2.get(publish.packetId());
			if (seen == Received.STORED) {
				// an earlier process recorded it and ended before the application had it: this
				// resend is the one delivery (already recorded as received)
				this.receivedQos2.put(publish.packetId(), Received.DELIVERING);
				this.unacknowledged.add(delivery);
				out.add(delivery);
				return;
			}
			if (seen != null) {
				// Seen before: never deliver twice. Once delivered, answer the resend at once.
				out.add(new SessionOutput.Discard(publish));
				if (seen == Received.DELIVERED) {
					out.add(new SessionOutput.Send(new PubRec(publish.packetId())));
				}
				return;
			}
			try {
				this.store.incomingReceived(publish.packetId());
				stored();
			}
			catch (RuntimeException ex) {
				// not recorded: neither delivered nor acknowledged, so the broker sends it again
				// on the next connection
				storeFailed("recording a received QoS 2 message (packet id " + publish.packetId() + ")", ex);
				out.add(new SessionOutput.Discard(publish));
				return;
			}
			this.receivedQos2.put(publish.packetId(), Received.DELIVERING);
		}
		this.unacknowledged.add(delivery);
		out.add(delivery);
	}

	/**
	 * The application has handled a message: acknowledge it, and any received after it that
	 * were waiting behind it. A delivery {@linkplain InboundDelivery#markUnhandled() nobody
	 * handled} is not acknowledged (a QoS 2 one is forgotten, so that its resend is delivered),
	 * and does not hold back the acknowledgements of the messages after it.
	 * @param delivery what {@link #onPublish} handed out
	 * @param out receives the PUBACKs and PUBRECs to send, in arrival order
	 */
	public void onDelivered(InboundDelivery delivery, List<SessionOutput> out) {
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
			// Its connection is gone; a resent QoS 2 PUBLISH is answered at once, never redelivered.
			if (publish.qos() == 2 && this.receivedQos2.get(publish.packetId()) == Received.DELIVERING) {
				this.receivedQos2.put(publish.packetId(), Received.DELIVERED);
				storeDelivered(publish.packetId());
				// the broker still waits for the PUBREC of this id (its resend on this connection, if
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
				// never acknowledged: the broker sends it again on the next connection; the ones
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
			this.store.incomingDelivered(packetId);
			stored();
		}
		catch (RuntimeException ex) {
			storeFailed("recording that received packet id " + packetId + " was delivered", ex);
		}
	}

	private void storeReleased(int packetId) {
		try {
			this.store.incomingReleased(packetId);
			stored();
		}
		catch (RuntimeException ex) {
			storeFailed("recording PUBREL for received packet id " + packetId, ex);
		}
	}

	/** A QoS 2 message nobody handled is forgotten, so that the broker's resend is delivered. */
	private void forgetUnhandled(Publish publish) {
		if (this.receivedQos2.remove(publish.packetId()) != null) {
			storeReleased(publish.packetId());
		}
	}

	/**
	 * A PUBREL: the QoS 2 exchange is over; the id may be used for a new message.
	 * @param rel the PUBREL
	 * @param out receives the PUBCOMP, sent even for an unknown id [MQTT-4.3.3-1]
	 */
	public void onPubRel(PubRel rel, List<SessionOutput> out) {
		if (this.receivedQos2.remove(rel.packetId()) != null) {
			storeReleased(rel.packetId());
		}
		out.add(new SessionOutput.Send(new PubComp(rel.packetId())));
	}

	// ---- subscriptions ----

	/**
	 * Builds a SUBSCRIBE and remembers it until its SUBACK.
	 * @param subscriptions filters with their QoS
	 * @param out receives the SUBSCRIBE when connected; otherwise it goes out on the next
	 * connection (and it is resent after a reconnect until acknowledged)
	 * @return the SUBSCRIBE
	 */
	public Subscribe subscribe(List<Subscription> subscriptions, List<SessionOutput> out) {
		Subscribe subscribe = newSubscribe(subscriptions);
		if (this.connected) {
			out.add(new SessionOutput.Send(subscribe));
		}
		return subscribe;
	}

	private Subscribe newSubscribe(List<Subscription> subscriptions) {
		Subscribe subscribe = new Subscribe(this.packetIds.acquire(), subscriptions);
		this.pendingRequests.put(subscribe.packetId(), subscribe);
		return subscribe;
	}

	/**
	 * The SUBSCRIBE waiting for its SUBACK with {@code packetId}.
	 * @param packetId the packet id
	 * @return the SUBSCRIBE, or {@code null}
	 */
	public Subscribe pendingSubscribe(int packetId) {
		return (this.pendingRequests.get(packetId) instanceof Subscribe subscribe) ? subscribe : null;
	}

	/**
	 * A SUBACK: remembers the granted subscriptions for renewal after a lost session.
	 * @param ack the SUBACK
	 * @param out receives {@link SessionOutput.Subscribed} with the SUBSCRIBE it answers; nothing
	 * when none is pending with its id
	 */
	public void onSubAck(SubAck ack, List<SessionOutput> out) {
		if (!(this.pendingRequests.get(ack.packetId()) instanceof Subscribe subscribe)) {
			return;
		}
		this.pendingRequests.remove(ack.packetId());
		this.packetIds.release(ack.packetId());
		List<Subscription> requested = subscribe.subscriptions();
		for (int i = 0; i < requested.size(); i++) {
			int code = (i < ack.returnCodes().size()) ? ack.returnCodes().get(i) : SubAck.FAILURE;
			if (code != SubAck.FAILURE) {
				this.subscriptions.put(requested.get(i).filter(), requested.get(i).qos());
			}
		}
		out.add(new SessionOutput.Subscribed(subscribe, ack));
	}

	/**
	 * Builds an UNSUBSCRIBE; the filters are forgotten at once, so that they are not renewed.
	 * @param filters the filters
	 * @param out receives the UNSUBSCRIBE when connected; otherwise it goes out on the next
	 * connection
	 * @return the UNSUBSCRIBE
	 */
	public Unsubscribe unsubscribe(List<String> filters, List<SessionOutput> out) {
		Unsubscribe unsubscribe = new Unsubscribe(this.packetIds.acquire(), filters);
		filters.forEach(this.subscriptions::remove);
		this.pendingRequests.put(unsubscribe.packetId(), unsubscribe);
		if (this.connected) {
			out.add(new SessionOutput.Send(unsubscribe));
		}
		return unsubscribe;
	}

	/**
	 * An UNSUBACK.
	 * @param ack the UNSUBACK
	 * @param out receives {@link SessionOutput.Unsubscribed} with the UNSUBSCRIBE it answers;
	 * nothing when none is pending with its id
	 */
	public void onUnsubAck(UnsubAck ack, List<SessionOutput> out) {
		if (!(this.pendingRequests.get(ack.packetId()) instanceof Unsubscribe unsubscribe)) {
			return;
		}
		this.pendingRequests.remove(ack.packetId());
		this.packetIds.release(ack.packetId());
		out.add(new SessionOutput.Unsubscribed(unsubscribe));
	}

	/** The subscriptions the broker granted, filter to QoS, in the order first granted. */
	public Map<String, Integer> subscriptions() {
		return Map.copyOf(this.subscriptions);
	}

	// ---- connection ----

	/**
	 * The broker accepted a connection.
	 * @param sessionPresent the CONNACK's session-present flag
	 * @param out receives what to send, in order: pending requests and renewed subscriptions, then
	 * resent and queued messages
	 */
	public void onConnected(boolean sessionPresent, List<SessionOutput> out) {
		this.connected = true;
		this.epoch++;
		this.unacknowledged.clear();
		for (Packet request : this.pendingRequests.values()) {
			out.add(new SessionOutput.Send(request));
		}
		if (sessionPresent) {
			for (OutgoingMessage message = this.oldest; message != null; message = message.next) {
				out.add(new SessionOutput.Send((message.state() == OutgoingMessage.State.RELEASED)
						? new PubRel(message.packetId()) : message.toPublish(true)));
			}
		}
		else {
			this.receivedQos2.keySet().forEach(this::storeReleased);
			this.receivedQos2.clear();
			for (Map.Entry<String, Integer> subscription : this.subscriptions.entrySet()) {
				Subscribe renewal = newSubscribe(
						List.of(new Subscription(subscription.getKey(), subscription.getValue())));
				out.add(new SessionOutput.Send(renewal));
			}
			// The broker forgot the session: a message it had taken (PUBREC) is its now; the rest go again.
			List<OutgoingMessage> again = new ArrayList<>();
			while (this.oldest != null) {
				OutgoingMessage message = this.oldest;
				unlink(message);
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
	 * The connection is gone; state stays for the next one. The oldest PUBLISH still waiting for
	 * its PUBACK or PUBREC is what a broker that closes on a message it rejects has just read (it
	 * acknowledges in order): after {@link #maxPublishAttempts} such closes it fails.
	 * @param out receives {@link SessionOutput.GivenUp} with the message given up, if one was
	 */
	public void onDisconnected(List<SessionOutput> out) {
		if (this.connected) {
			OutgoingMessage suspect = this.oldest;
			while (suspect != null && suspect.state() != OutgoingMessage.State.PUBLISHED) {
				suspect = suspect.next;
			}
			if (suspect != null && suspect.countClosedBeforeAck() >= this.maxPublishAttempts) {
				unlink(suspect);
				forgetStored(suspect.packetId());
				this.packetIds.release(suspect.packetId());
				suspect.fail(new MqttException("The connection closed " + suspect.closedBeforeAck()
						+ " times after this PUBLISH was sent and before the broker acknowledged it: the broker "
						+ "rejects it (a QoS, topic or size it does not accept?), so it is not sent again"));
				out.add(new SessionOutput.GivenUp(suspect));
			}
		}
		this.connected = false;
		// deliveries still running belong to the old connection: their acks cannot go out on it
		this.epoch++;
		this.unacknowledged.clear();
	}

	/** Whether a connection is up. */
	public boolean isConnected() {
		return this.connected;
	}

	/**
	 * Fails every message the session holds and forgets everything, for a final disconnect or a
	 * new clean session.
	 * @param cause why
	 * @return how many messages were failed
	 */
	public int failAll(Throwable cause) {
		int failed = 0;
		while (this.oldest != null) {
			OutgoingMessage message = this.oldest;
			unlink(message);
			this.packetIds.release(message.packetId());
			message.fail(cause);
			failed++;
		}
		for (OutgoingMessage message : this.queued) {
			message.fail(cause);
			failed++;
		}
		this.queued.clear();
		this.queuedBytes = 0;
		this.pendingRequests.keySet().forEach(this.packetIds::release);
		this.pendingRequests.clear();
		this.receivedQos2.clear();
		this.unacknowledged.clear();
		return failed;
	}

	/** How many QoS 1 and 2 messages are in flight. */
	public int inflightCount() {
		return this.inflightCount;
	}

	/**
	 * Whether an answer from the broker is awaited: a PUBACK, PUBREC or PUBCOMP for a message in
	 * flight, or a SUBACK or UNSUBACK.
	 */
	public boolean awaitingAnswers() {
		return this.inflightCount > 0 || !this.pendingRequests.isEmpty();
	}

	/** How many messages wait for a connection or for room in the window. */
	public int queuedCount() {
		return this.queued.size();
	}

	/** Payload bytes of the messages waiting for a connection or for room in the window. */
	public long queuedBytes() {
		return this.queuedBytes;
	}

	/**
	 * Fails the oldest message waiting for a connection, to make room.
	 * @param cause why
	 * @return whether there was one
	 */
	public boolean dropOldestQueued(Throwable cause) {
		OutgoingMessage oldest = this.queued.poll();
		if (oldest == null) {
			return false;
		}
		this.queuedBytes -= oldest.payload().length;
		oldest.fail(cause);
		return true;
	}

	/** How many received QoS 2 messages wait for their PUBREL. */
	public int receivedQos2Count() {
		return this.receivedQos2.size();
	}

	/** The in-flight window size. */
	public int maxInflight() {
		return this.maxInflight;
	}

}
