package io.umqtt.core.session;

import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.packet.Subscribe;
import io.umqtt.core.packet.UnsubAck;
import io.umqtt.core.packet.Unsubscribe;

/**
 * What a {@link Session} event asks of the connection. Every event method of the session
 * takes a list and appends these to it, in the order they are to be carried out; the
 * connection goes through the list (one test per permitted type) before its next call
 * into the session, which may move a message on.
 * <ul>
 * <li>{@link OutgoingMessage}: write the packet its state calls for, its first PUBLISH
 * (DUP clear) until released, then its PUBREL; encoded from the message's fields, nothing
 * allocated per packet.</li>
 * <li>{@link Send}: write this packet.</li>
 * <li>{@link InboundDelivery}: hand the received message to the application; once it is
 * handled, {@link Session#onDelivered} says which acknowledgements go out.</li>
 * <li>{@link Discard}: a received PUBLISH that is not delivered (a redelivery, or one the
 * store could not record): release its payload.</li>
 * <li>{@link Unexpected}: an acknowledgement for a packet id that is not in flight;
 * ignored by the session.</li>
 * <li>{@link Subscribed}, {@link Unsubscribed}: a pending request was answered.</li>
 * <li>{@link GivenUp}: a publish failed because the connection kept closing before the
 * broker acknowledged it.</li>
 * </ul>
 */
public sealed interface SessionOutput
		permits OutgoingMessage, InboundDelivery, SessionOutput.Send, SessionOutput.Discard, SessionOutput.Unexpected,
		SessionOutput.Subscribed, SessionOutput.Unsubscribed, SessionOutput.GivenUp {

	/**
	 * Write a packet.
	 *
	 * @param packet the packet
	 */
	record Send(Packet packet) implements SessionOutput {
	}

	/**
	 * A received PUBLISH that is not delivered: release its payload.
	 *
	 * @param publish the PUBLISH
	 */
	record Discard(Publish publish) implements SessionOutput {
	}

	/**
	 * An acknowledgement for a packet id that is not in flight. MQTT 3.1.1 names no rule
	 * it breaks, and it happens without fault: a broker may acknowledge a PUBLISH resent
	 * with DUP after a reconnect for which an acknowledgement was already under way.
	 *
	 * @param packetType the packet's name, e.g. {@code PUBACK}
	 * @param packetId its packet id
	 */
	record Unexpected(String packetType, int packetId) implements SessionOutput {
	}

	/**
	 * A SUBACK answered a pending SUBSCRIBE; its granted filters are remembered for
	 * renewal.
	 *
	 * @param request the SUBSCRIBE
	 * @param ack the SUBACK
	 */
	record Subscribed(Subscribe request, SubAck ack) implements SessionOutput {
	}

	/**
	 * An UNSUBACK answered a pending UNSUBSCRIBE.
	 *
	 * @param request the UNSUBSCRIBE
	 * @param ack the UNSUBACK (its reason codes on MQTT 5)
	 */
	record Unsubscribed(Unsubscribe request, UnsubAck ack) implements SessionOutput {
	}

	/**
	 * A publish failed after {@code closedBeforeAck} connections closed before its
	 * acknowledgement; it is forgotten and its publisher told.
	 *
	 * @param message the message
	 */
	record GivenUp(OutgoingMessage message) implements SessionOutput {
	}

}
