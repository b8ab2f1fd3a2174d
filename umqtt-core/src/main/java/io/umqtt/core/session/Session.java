package io.umqtt.core.session;

import java.util.List;
import java.util.Map;

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
import org.jspecify.annotations.Nullable;

/**
 * The state of one MQTT session as the client sees it, and the protocol rules that move
 * it: every event method takes what arrived or what the application asked for, and a list
 * to which it appends what the connection must do, as {@link SessionOutput}s in order
 * (packets to write, messages to deliver, payloads to release). It does no I/O, so every
 * flow is tested without a socket.
 * <ul>
 * <li>Outgoing QoS 1 (PUBLISH → PUBACK) and QoS 2 (PUBLISH → PUBREC → PUBREL → PUBCOMP)
 * in a window of {@code maxInflight} messages; more wait in a queue, in order.</li>
 * <li>Incoming QoS 1 and 2: each message handed out for delivery once; QoS 2 ids kept
 * from the PUBLISH to the PUBREL so a redelivery is not delivered again; acknowledgements
 * sent after delivery, in the order the PUBLISHes arrived [MQTT-4.6.0-2,
 * MQTT-4.6.0-3].</li>
 * <li>On reconnect with a resumed session, unacknowledged PUBLISHes are resent in their
 * original order with DUP set, and PUBREL instead of PUBLISH after a PUBREC
 * [MQTT-4.4.0-1]. When the broker has no session, its state is dropped, messages not yet
 * taken by the broker are sent again and every remembered subscription is renewed, each
 * with its own QoS.</li>
 * </ul>
 * The roles live apart: {@link OutboundFlow} (outgoing messages and the window),
 * {@link InboundFlow} (received messages and their acknowledgements), {@link Requests}
 * (SUBSCRIBE, UNSUBSCRIBE and the subscriptions to renew), {@link StoreRecorder} (the
 * store and its failures); this class restores them from a store and routes each event to
 * them.
 * <p>
 * Not thread-safe: confined to the connection's event loop.
 */
public final class Session {

	private final PacketIdPool packetIds = new PacketIdPool();

	private final StoreRecorder recorder;

	private final OutboundFlow outbound;

	private final InboundFlow inbound;

	private final Requests requests;

	private boolean connected;

	/** Told when a store call throws. Called on the session's thread. */
	@FunctionalInterface
	public interface StoreFailureListener {

		/**
		 * The store threw while the session recorded something.
		 * @param what what the session was recording
		 * @param failure what the store threw
		 */
		void failed(String what, RuntimeException failure);

	}

	/**
	 * A session sending at most {@code maxInflight} unacknowledged QoS 1 and 2 messages,
	 * its state in memory only.
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
		this.recorder = new StoreRecorder(store);
		this.outbound = new OutboundFlow(maxInflight, this.packetIds, this.recorder);
		this.inbound = new InboundFlow(this.recorder);
		this.requests = new Requests(this.packetIds);
	}

	/**
	 * Takes over a stored session: its in-flight messages (resent, with DUP or as PUBREL,
	 * when the broker resumes the session) and its received QoS 2 ids: one delivered is
	 * never delivered twice, one recorded but never delivered is delivered once from the
	 * broker's resend. Call before the first connection.
	 * @param state what the store held
	 * @return the restored messages; nobody waits on their completions
	 */
	public List<OutgoingMessage> restore(SessionStore.State state) {
		List<OutgoingMessage> restored = this.outbound.restore(state.outgoing());
		this.inbound.restore(state.incomingReceived(), state.incomingDelivered());
		return restored;
	}

	/**
	 * Says who hears of store failures. The session's policy when a store call throws: a
	 * message whose PUBLISH could not be recorded fails with the store's exception and
	 * gives back its packet id (and its window slot), and is not sent; a record of
	 * progress the broker has made (PUBREC, PUBACK, PUBCOMP, a received QoS 2 message
	 * delivered or released) that could not be written does not undo that progress, the
	 * flow goes on in memory; a received QoS 2 message that could not be recorded is not
	 * delivered nor acknowledged (the broker sends it again on the next connection).
	 * Every failure is reported here.
	 * @param listener the listener
	 */
	public void onStoreFailure(StoreFailureListener listener) {
		this.recorder.listener(listener);
	}

	/**
	 * Fails a QoS 1 or 2 publish after {@code attempts} connections closed while it was
	 * the oldest unacknowledged PUBLISH: the broker answers it by closing the connection.
	 * @param attempts 1 or more
	 */
	public void maxPublishAttempts(int attempts) {
		if (attempts < 1) {
			throw new IllegalArgumentException("maxPublishAttempts must be at least 1, was " + attempts);
		}
		this.outbound.maxPublishAttempts(attempts);
	}

	/**
	 * The end of a batch of events: lets the store sync before the batch's packets go
	 * out.
	 * @return whether the flush succeeded
	 */
	public boolean flushStore() {
		return this.recorder.flush();
	}

	/** Whether the last store call succeeded: a store that failed records again. */
	public boolean storeWorks() {
		return this.recorder.works();
	}

	// ---- outgoing messages ----

	/**
	 * Takes a message to publish; the session owns it from now on. It goes out at once
	 * when connected and there is room (a QoS 0 message completes when handed over), else
	 * it waits, in order.
	 * @param message the message
	 * @param out receives the message (standing for its first PUBLISH) when it goes out
	 * now, and any queued before it that go out with it
	 */
	public void publish(OutgoingMessage message, List<SessionOutput> out) {
		this.outbound.publish(message, out);
	}

	/**
	 * A PUBACK: the QoS 1 message is delivered.
	 * @param ack the PUBACK
	 * @param out receives the messages the freed room lets out, or
	 * {@link SessionOutput.Unexpected} when no QoS 1 message is in flight with its packet
	 * id
	 */
	public void onPubAck(PubAck ack, List<SessionOutput> out) {
		this.outbound.onPubAck(ack, out);
	}

	/**
	 * A PUBREC: the broker has the QoS 2 message; release it.
	 * @param rec the PUBREC
	 * @param out receives the released message (standing for its PUBREL), or
	 * {@link SessionOutput.Unexpected} when no QoS 2 message is in flight with its packet
	 * id
	 */
	public void onPubRec(PubRec rec, List<SessionOutput> out) {
		this.outbound.onPubRec(rec, out);
	}

	/**
	 * A PUBCOMP: the QoS 2 message is delivered.
	 * @param comp the PUBCOMP
	 * @param out receives the messages the freed room lets out, or
	 * {@link SessionOutput.Unexpected} when no released QoS 2 message is in flight with
	 * its packet id
	 */
	public void onPubComp(PubComp comp, List<SessionOutput> out) {
		this.outbound.onPubComp(comp, out);
	}

	// ---- incoming messages ----

	/**
	 * A PUBLISH arrived.
	 * @param publish the PUBLISH
	 * @param out receives the {@link InboundDelivery} to hand to the application, or
	 * {@link SessionOutput.Discard} when it is not delivered (a redelivery of a QoS 2
	 * message already delivered or being delivered, or one the store could not record),
	 * and what to answer now
	 */
	public void onPublish(Publish publish, List<SessionOutput> out) {
		this.inbound.onPublish(publish, out);
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
	public void onDelivered(InboundDelivery delivery, List<SessionOutput> out) {
		this.inbound.onDelivered(delivery, out);
	}

	/**
	 * A PUBREL: the QoS 2 exchange is over; the id may be used for a new message.
	 * @param rel the PUBREL
	 * @param out receives the PUBCOMP of the same id, sent even for an unknown one
	 * [MQTT-4.3.3-11]
	 */
	public void onPubRel(PubRel rel, List<SessionOutput> out) {
		this.inbound.onPubRel(rel, out);
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
		return this.requests.subscribe(subscriptions, PacketProperties.NONE, out);
	}

	/**
	 * Builds a SUBSCRIBE with MQTT 5 properties (a subscription identifier), which a
	 * renewal after a lost session carries again.
	 * @param subscriptions filters with their QoS and options
	 * @param properties the SUBSCRIBE's properties
	 * @param out as for {@link #subscribe(List, List)}
	 * @return the SUBSCRIBE
	 */
	public Subscribe subscribe(List<Subscription> subscriptions, PacketProperties properties, List<SessionOutput> out) {
		return this.requests.subscribe(subscriptions, properties, out);
	}

	/**
	 * The SUBSCRIBE waiting for its SUBACK with {@code packetId}.
	 * @param packetId the packet id
	 * @return the SUBSCRIBE, or {@code null}
	 */
	public @Nullable Subscribe pendingSubscribe(int packetId) {
		return this.requests.pendingSubscribe(packetId);
	}

	/**
	 * A SUBACK: remembers the granted subscriptions for renewal after a lost session.
	 * @param ack the SUBACK
	 * @param out receives {@link SessionOutput.Subscribed} with the SUBSCRIBE it answers;
	 * nothing when none is pending with its id
	 */
	public void onSubAck(SubAck ack, List<SessionOutput> out) {
		this.requests.onSubAck(ack, out);
	}

	/**
	 * Builds an UNSUBSCRIBE; the filters are forgotten at once, so that they are not
	 * renewed.
	 * @param filters the filters
	 * @param out receives the UNSUBSCRIBE when connected; otherwise it goes out on the
	 * next connection
	 * @return the UNSUBSCRIBE
	 */
	public Unsubscribe unsubscribe(List<String> filters, List<SessionOutput> out) {
		return this.requests.unsubscribe(filters, out);
	}

	/**
	 * An UNSUBACK.
	 * @param ack the UNSUBACK
	 * @param out receives {@link SessionOutput.Unsubscribed} with the UNSUBSCRIBE it
	 * answers; nothing when none is pending with its id
	 */
	public void onUnsubAck(UnsubAck ack, List<SessionOutput> out) {
		this.requests.onUnsubAck(ack, out);
	}

	/**
	 * The subscriptions the broker granted, filter to QoS, in the order first granted.
	 */
	public Map<String, Integer> subscriptions() {
		return this.requests.subscriptions();
	}

	// ---- connection ----

	/**
	 * The MQTT 5 server's Receive Maximum for the connection that starts now: at most
	 * that many QoS 1 and 2 PUBLISHes are in flight on it, more waiting in the queue.
	 * Called before {@link #onConnected}; 65,535 on 3.1.1.
	 * @param receiveMaximum 1 to 65,535
	 */
	public void serverReceiveMaximum(int receiveMaximum) {
		this.outbound.serverReceiveMaximum(receiveMaximum);
	}

	/**
	 * The broker accepted a connection.
	 * @param sessionPresent the CONNACK's session-present flag
	 * @param out receives what to send, in order: pending requests and renewed
	 * subscriptions, then resent and queued messages
	 */
	public void onConnected(boolean sessionPresent, List<SessionOutput> out) {
		this.connected = true;
		this.requests.onConnected(sessionPresent, out);
		this.inbound.onConnected(sessionPresent);
		this.outbound.onConnected(sessionPresent, out);
	}

	/**
	 * The connection is gone, and no message is suspected of ending it; see
	 * {@link #onDisconnected(int, List)}.
	 */
	public void onDisconnected(List<SessionOutput> out) {
		onDisconnected(0, out);
	}

	/**
	 * The connection is gone; state stays for the next one. A broker that rejects a
	 * PUBLISH closes the connection right after reading it: the connection names that
	 * PUBLISH when the evidence is clear (the last one written, nothing read since, the
	 * broker's side closing in order or right after answering; see the connection layer's
	 * {@code CloseEvidence}). With pipelining another unacknowledged PUBLISH may be the
	 * rejected one, so that close first only isolates the messages in flight: they go
	 * again one at a time, and only a close naming the message sent alone then suspects
	 * it. A suspicion counts against the message only when the next connection is
	 * accepted with no failed attempt in between ({@link #onConnectFailed()},
	 * {@link #onSessionLost()}); after {@code maxPublishAttempts} counted closes its
	 * publish fails ({@link SessionOutput.GivenUp}), output by {@link #onConnected}.
	 * @param suspectPacketId the packet id of the PUBLISH the broker closed on, or 0 for
	 * none
	 * @param out receives the message given up, if any
	 */
	public void onDisconnected(int suspectPacketId, List<SessionOutput> out) {
		this.outbound.onDisconnected(suspectPacketId, out);
		this.requests.onDisconnected();
		this.inbound.onDisconnected();
		this.connected = false;
	}

	/**
	 * A connection attempt failed: the close before it, if it named a PUBLISH, was no
	 * rejection (a broker that rejects a message accepts the next connection at once),
	 * and counts against no message.
	 */
	public void onConnectFailed() {
		this.outbound.connectFailed();
	}

	/**
	 * The broker accepted a connection but has lost the session it had: it restarted, so
	 * the close before counts against no message. Call before {@link #onConnected}.
	 */
	public void onSessionLost() {
		this.outbound.clearSuspicion();
	}

	/** Whether a connection is up. */
	public boolean isConnected() {
		return this.connected;
	}

	/**
	 * Fails every message the session holds and forgets everything, for a final
	 * disconnect or a new clean session.
	 * @param cause why
	 * @return how many messages were failed
	 */
	public int failAll(Throwable cause) {
		int failed = this.outbound.failAll(cause);
		this.requests.clear();
		this.inbound.clear();
		return failed;
	}

	/** How many QoS 1 and 2 messages are in flight. */
	public int inflightCount() {
		return this.outbound.inflightCount();
	}

	/**
	 * Whether an answer from the broker is awaited: a PUBACK, PUBREC or PUBCOMP for a
	 * message in flight, or a SUBACK or UNSUBACK.
	 */
	public boolean awaitingAnswers() {
		return this.outbound.inflightCount() > 0 || this.requests.awaitingAnswers();
	}

	/**
	 * Whether publishes in flight at a close that may have been a rejection go again one
	 * at a time now: new messages, QoS 0 too, wait behind them in the session's queue.
	 */
	public boolean isolating() {
		return this.outbound.isolating();
	}

	/** How many messages wait for a connection or for room in the window. */
	public int queuedCount() {
		return this.outbound.queuedCount();
	}

	/**
	 * Payload bytes of the messages waiting for a connection or for room in the window.
	 */
	public long queuedBytes() {
		return this.outbound.queuedBytes();
	}

	/**
	 * Fails the oldest message waiting for a connection, to make room.
	 * @param cause why
	 * @return whether there was one
	 */
	public boolean dropOldestQueued(Throwable cause) {
		return this.outbound.dropOldestQueued(cause);
	}

	/** How many received QoS 2 messages wait for their PUBREL. */
	public int receivedQos2Count() {
		return this.inbound.receivedQos2Count();
	}

	/** The in-flight window size. */
	public int maxInflight() {
		return this.outbound.maxInflight();
	}

}
