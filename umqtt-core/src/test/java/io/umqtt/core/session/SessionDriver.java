package io.umqtt.core.session;

import java.util.ArrayList;
import java.util.List;

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
 * Drives a {@link Session} in tests and reads its {@link SessionOutput}s back as the
 * packets they write (a message standing for its first PUBLISH or PUBREL becomes that
 * packet record), the delivery it hands out, and the other outputs as they are.
 */
public final class SessionDriver {

	private final Session session;

	private final List<SessionOutput> out = new ArrayList<>();

	/**
	 * Every output of the last event that writes no packet (deliveries, discards,
	 * answers...).
	 */
	private final List<SessionOutput> others = new ArrayList<>();

	public SessionDriver(Session session) {
		this.session = session;
	}

	public SessionDriver(int maxInflight) {
		this(new Session(maxInflight));
	}

	/** The session driven. */
	public Session session() {
		return this.session;
	}

	/**
	 * What a received PUBLISH caused.
	 *
	 * @param delivery the delivery handed out, or {@code null} when the PUBLISH was
	 * discarded
	 * @param reply the packets to send now
	 */
	public record Receipt(InboundDelivery delivery, List<Packet> reply) {
	}

	/** The outputs of the last event that are not packets to write. */
	public List<SessionOutput> others() {
		return List.copyOf(this.others);
	}

	/**
	 * The packets the outputs write, in order; the other outputs are kept in
	 * {@link #others()}.
	 */
	public static List<Packet> packets(List<SessionOutput> outputs) {
		List<Packet> packets = new ArrayList<>(outputs.size());
		for (SessionOutput output : outputs) {
			if (output instanceof OutgoingMessage message) {
				packets.add(message.nextPacket());
			}
			else if (output instanceof SessionOutput.Send send) {
				packets.add(send.packet());
			}
		}
		return packets;
	}

	private List<Packet> take() {
		List<Packet> packets = packets(this.out);
		this.others.clear();
		for (SessionOutput output : this.out) {
			if (!(output instanceof OutgoingMessage) && !(output instanceof SessionOutput.Send)) {
				this.others.add(output);
			}
		}
		this.out.clear();
		return packets;
	}

	public List<Packet> publish(OutgoingMessage message) {
		this.session.publish(message, this.out);
		return take();
	}

	public List<Packet> onPubAck(PubAck ack) {
		this.session.onPubAck(ack, this.out);
		return take();
	}

	public List<Packet> onPubRec(PubRec rec) {
		this.session.onPubRec(rec, this.out);
		return take();
	}

	public List<Packet> onPubComp(PubComp comp) {
		this.session.onPubComp(comp, this.out);
		return take();
	}

	public List<Packet> onPubRel(PubRel rel) {
		this.session.onPubRel(rel, this.out);
		return take();
	}

	public Receipt onPublish(Publish publish) {
		this.session.onPublish(publish, this.out);
		List<Packet> reply = take();
		InboundDelivery delivery = null;
		for (SessionOutput output : this.others) {
			if (output instanceof InboundDelivery handedOut) {
				delivery = handedOut;
			}
		}
		return new Receipt(delivery, reply);
	}

	public List<Packet> onDelivered(InboundDelivery delivery) {
		this.session.onDelivered(delivery, this.out);
		return take();
	}

	public List<Packet> onConnected(boolean sessionPresent) {
		this.session.onConnected(sessionPresent, this.out);
		return take();
	}

	/**
	 * The message given up at the last step that gives one up (a connection accepted), or
	 * {@code null}.
	 */
	public OutgoingMessage givenUp() {
		for (SessionOutput output : this.others) {
			if (output instanceof SessionOutput.GivenUp givenUp) {
				return givenUp.message();
			}
		}
		return null;
	}

	/** A connection attempt failed. */
	public void onConnectFailed() {
		this.session.onConnectFailed();
	}

	/** The broker accepted a connection without the session it had. */
	public void onSessionLost() {
		this.session.onSessionLost();
	}

	/** The message given up, or {@code null}. */
	public OutgoingMessage onDisconnected() {
		return onDisconnected(0);
	}

	/**
	 * The message given up when the broker closed right after {@code suspectPacketId}, or
	 * {@code null}.
	 */
	public OutgoingMessage onDisconnected(int suspectPacketId) {
		this.session.onDisconnected(suspectPacketId, this.out);
		take();
		for (SessionOutput output : this.others) {
			if (output instanceof SessionOutput.GivenUp givenUp) {
				return givenUp.message();
			}
		}
		return null;
	}

	public Subscribe subscribe(List<Subscription> subscriptions) {
		Subscribe subscribe = this.session.subscribe(subscriptions, this.out);
		take();
		return subscribe;
	}

	public Unsubscribe unsubscribe(List<String> filters) {
		Unsubscribe unsubscribe = this.session.unsubscribe(filters, this.out);
		take();
		return unsubscribe;
	}

	/** The SUBSCRIBE the SUBACK answered, or {@code null}. */
	public Subscribe onSubAck(SubAck ack) {
		this.session.onSubAck(ack, this.out);
		take();
		for (SessionOutput output : this.others) {
			if (output instanceof SessionOutput.Subscribed answered) {
				return answered.request();
			}
		}
		return null;
	}

	/** The UNSUBSCRIBE the UNSUBACK answered, or {@code null}. */
	public Unsubscribe onUnsubAck(UnsubAck ack) {
		this.session.onUnsubAck(ack, this.out);
		take();
		for (SessionOutput output : this.others) {
			if (output instanceof SessionOutput.Unsubscribed answered) {
				return answered.request();
			}
		}
		return null;
	}

	public List<OutgoingMessage> restore(SessionStore.State state) {
		return this.session.restore(state);
	}

	public int failAll(Throwable cause) {
		return this.session.failAll(cause);
	}

	public int inflightCount() {
		return this.session.inflightCount();
	}

	public int queuedCount() {
		return this.session.queuedCount();
	}

	public int receivedQos2Count() {
		return this.session.receivedQos2Count();
	}

	public boolean isConnected() {
		return this.session.isConnected();
	}

	public java.util.Map<String, Integer> subscriptions() {
		return this.session.subscriptions();
	}

	/** The server's Receive Maximum for the connection that starts next. */
	public void serverReceiveMaximum(int receiveMaximum) {
		this.session.serverReceiveMaximum(receiveMaximum);
	}

	public void maxPublishAttempts(int attempts) {
		this.session.maxPublishAttempts(attempts);
	}

	public void onStoreFailure(Session.StoreFailureListener listener) {
		this.session.onStoreFailure(listener);
	}

	public boolean storeWorks() {
		return this.session.storeWorks();
	}

}
