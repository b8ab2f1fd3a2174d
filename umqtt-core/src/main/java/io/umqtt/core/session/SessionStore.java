package io.umqtt.core.session;

import java.util.List;
import java.util.Objects;

import io.umqtt.core.packet.PacketProperties;

/**
 * Where a session keeps the QoS 1 and 2 state that must outlive the process: outgoing
 * messages the broker has not acknowledged yet, and received QoS 2 packet ids awaiting
 * their PUBREL. With a persistent store, a new client with the same client id and clean
 * session false resends what was in flight and never delivers a QoS 2 message twice.
 * <p>
 * Every method is called on the connection's event loop, in the order the protocol moves.
 */
public interface SessionStore extends AutoCloseable {

	/** A store that keeps nothing: state lives in memory only, the default. */
	SessionStore IN_MEMORY = new SessionStore() {

		@Override
		public State load() {
			return State.EMPTY;
		}

		@Override
		public String toString() {
			return "SessionStore.IN_MEMORY";
		}

	};

	/**
	 * An outgoing message was sent with {@code packetId} (PUBLISH, waiting for PUBACK or
	 * PUBREC).
	 */
	default void outgoingSent(int packetId, String topic, int qos, boolean retain, byte[] payload) {
	}

	/**
	 * An outgoing MQTT 5 message with properties was sent with {@code packetId}; a store
	 * that keeps them resends the message with them. By default the properties are
	 * dropped and {@link #outgoingSent(int, String, int, boolean, byte[])} is called.
	 */
	default void outgoingSent(int packetId, String topic, int qos, boolean retain, byte[] payload,
			PacketProperties properties) {
		outgoingSent(packetId, topic, qos, retain, payload);
	}

	/** PUBREC arrived for an outgoing QoS 2 message; PUBREL replaces it from now on. */
	default void outgoingReleased(int packetId) {
	}

	/** An outgoing message is done (PUBACK, PUBCOMP) or given up. */
	default void outgoingDone(int packetId) {
	}

	/**
	 * A QoS 2 message arrived and is being delivered. Restored with this record only, it
	 * was never handled: the broker's resend is delivered then.
	 */
	default void incomingReceived(int packetId) {
	}

	/** A received QoS 2 message was delivered; PUBREC may go out. */
	default void incomingDelivered(int packetId) {
	}

	/** PUBREL arrived for a received QoS 2 message: its id is forgotten. */
	default void incomingReleased(int packetId) {
	}

	/** Forgets everything (a clean session). */
	default void clear() {
	}

	/** The end of a batch of changes: a store that syncs per batch does it now. */
	default void flush() {
	}

	/**
	 * What the store holds, to restore a session from.
	 * @return the state
	 */
	State load();

	@Override
	default void close() {
	}

	/**
	 * A stored outgoing message.
	 *
	 * @param packetId its packet id
	 * @param topic its topic
	 * @param qos 1 or 2
	 * @param retain its retain flag
	 * @param payload its payload
	 * @param released whether PUBREC arrived (QoS 2): PUBREL is what to resend
	 * @param properties its MQTT 5 PUBLISH properties, {@link PacketProperties#NONE} for
	 * none
	 */
	record Outgoing(int packetId, String topic, int qos, boolean retain, byte[] payload, boolean released,
			PacketProperties properties) {

		public Outgoing {
			Objects.requireNonNull(properties, "properties");
		}

		/** A stored message without properties. */
		public Outgoing(int packetId, String topic, int qos, boolean retain, byte[] payload, boolean released) {
			this(packetId, topic, qos, retain, payload, released, PacketProperties.NONE);
		}

	}

	/**
	 * A stored session.
	 *
	 * @param outgoing in-flight outgoing messages, in the order first sent, except that a
	 * released one ({@link SessionStore#outgoingReleased}) moves behind every other one
	 * when released, so the released ones are in the order their PUBRECs arrived
	 * @param incomingReceived received QoS 2 ids not yet delivered when stored: their
	 * resend is delivered, once
	 * @param incomingDelivered received QoS 2 ids delivered, waiting for PUBREL
	 */
	record State(List<Outgoing> outgoing, List<Integer> incomingReceived, List<Integer> incomingDelivered) {

		/** Nothing stored. */
		public static final State EMPTY = new State(List.of(), List.of(), List.of());

		public boolean isEmpty() {
			return this.outgoing.isEmpty() && this.incomingReceived.isEmpty() && this.incomingDelivered.isEmpty();
		}

	}

}
