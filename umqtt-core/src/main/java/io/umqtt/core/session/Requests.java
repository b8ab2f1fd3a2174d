package io.umqtt.core.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.packet.Subscribe;
import io.umqtt.core.packet.Subscription;
import io.umqtt.core.packet.UnsubAck;
import io.umqtt.core.packet.Unsubscribe;
import org.jspecify.annotations.Nullable;

/**
 * The session's SUBSCRIBE and UNSUBSCRIBE requests until answered (sent again on every
 * connection until then), and the subscriptions the broker granted, renewed each with its
 * own QoS when the broker has lost the session. Confined to the session's thread;
 * {@link Session} is its only user.
 */
final class Requests {

	private final PacketIdPool packetIds;

	/**
	 * Subscriptions the broker granted, to renew when it has lost the session: each with
	 * its QoS, MQTT 5 options and the properties of its SUBSCRIBE (its subscription
	 * identifier).
	 */
	private final LinkedHashMap<String, Granted> subscriptions = new LinkedHashMap<>();

	/** SUBSCRIBE and UNSUBSCRIBE packets not yet acknowledged, by packet id. */
	private final LinkedHashMap<Integer, Packet> pending = new LinkedHashMap<>();

	private boolean connected;

	Requests(PacketIdPool packetIds) {
		this.packetIds = packetIds;
	}

	Subscribe subscribe(List<Subscription> requested, PacketProperties properties, List<SessionOutput> out) {
		Subscribe subscribe = newSubscribe(requested, properties);
		if (this.connected) {
			out.add(new SessionOutput.Send(subscribe));
		}
		return subscribe;
	}

	private Subscribe newSubscribe(List<Subscription> requested, PacketProperties properties) {
		Subscribe subscribe = new Subscribe(this.packetIds.acquire(), requested, properties);
		this.pending.put(subscribe.packetId(), subscribe);
		return subscribe;
	}

	@Nullable Subscribe pendingSubscribe(int packetId) {
		return (this.pending.get(packetId) instanceof Subscribe subscribe) ? subscribe : null;
	}

	void onSubAck(SubAck ack, List<SessionOutput> out) {
		if (!(this.pending.get(ack.packetId()) instanceof Subscribe subscribe)) {
			return;
		}
		this.pending.remove(ack.packetId());
		this.packetIds.release(ack.packetId());
		List<Subscription> requested = subscribe.subscriptions();
		for (int i = 0; i < requested.size(); i++) {
			int code = (i < ack.returnCodes().size()) ? ack.returnCodes().get(i) : SubAck.FAILURE;
			// a later UNSUBSCRIBE of the same filter, still unanswered, is what the
			// broker ends with
			if (code < SubAck.FAILURE && !unsubscribing(requested.get(i).filter())) {
				this.subscriptions.put(requested.get(i).filter(),
						new Granted(requested.get(i), subscribe.properties()));
			}
		}
		out.add(new SessionOutput.Subscribed(subscribe, ack));
	}

	private boolean unsubscribing(String filter) {
		for (Packet request : this.pending.values()) {
			if (request instanceof Unsubscribe unsubscribe && unsubscribe.filters().contains(filter)) {
				return true;
			}
		}
		return false;
	}

	Unsubscribe unsubscribe(List<String> filters, List<SessionOutput> out) {
		Unsubscribe unsubscribe = new Unsubscribe(this.packetIds.acquire(), filters);
		filters.forEach(this.subscriptions::remove);
		this.pending.put(unsubscribe.packetId(), unsubscribe);
		if (this.connected) {
			out.add(new SessionOutput.Send(unsubscribe));
		}
		return unsubscribe;
	}

	void onUnsubAck(UnsubAck ack, List<SessionOutput> out) {
		if (!(this.pending.get(ack.packetId()) instanceof Unsubscribe unsubscribe)) {
			return;
		}
		this.pending.remove(ack.packetId());
		this.packetIds.release(ack.packetId());
		out.add(new SessionOutput.Unsubscribed(unsubscribe, ack));
	}

	/**
	 * A connection is up: every pending request goes again, and when the broker has lost
	 * the session every granted subscription is renewed, each with its own QoS, options
	 * and subscription identifier.
	 */
	void onConnected(boolean sessionPresent, List<SessionOutput> out) {
		this.connected = true;
		for (Packet request : this.pending.values()) {
			out.add(new SessionOutput.Send(request));
		}
		if (!sessionPresent) {
			for (Granted granted : this.subscriptions.values()) {
				Subscribe renewal = newSubscribe(List.of(granted.subscription()), granted.properties());
				out.add(new SessionOutput.Send(renewal));
			}
		}
	}

	void onDisconnected() {
		this.connected = false;
	}

	Map<String, Integer> subscriptions() {
		Map<String, Integer> granted = new LinkedHashMap<>();
		this.subscriptions.forEach((filter, subscription) -> granted.put(filter, subscription.subscription().qos()));
		return Map.copyOf(granted);
	}

	boolean awaitingAnswers() {
		return !this.pending.isEmpty();
	}

	/** Forgets the pending requests, for a final disconnect or a new clean session. */
	void clear() {
		this.pending.keySet().forEach(this.packetIds::release);
		this.pending.clear();
	}

	/** A granted subscription as it was requested, with its SUBSCRIBE's properties. */
	private record Granted(Subscription subscription, PacketProperties properties) {
	}

}
