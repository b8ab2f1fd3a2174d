package io.umqtt.spring.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttConnectionListener;
import io.umqtt.core.MqttException;
import io.umqtt.spring.MqttClients;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The subscriptions of listeners paused or stopped while their client was not connected,
 * which it could not unsubscribe then: each is unsubscribed as soon as its client is
 * connected again, unless the listener is resumed or started first, which takes the same
 * subscription up again ({@link #takeBack}). Works under the registry's lock, also from
 * the thread a (re)connection starts.
 */
final class PendingUnsubscriptions {

	private static final Log logger = LogFactory.getLog(MqttListenerEndpointRegistry.class);

	/** By listener id: its subscriptions still to unsubscribe. */
	private final Map<String, List<ListenerSubscription>> byListener = new ConcurrentHashMap<>();

	/**
	 * By listener id: its subscriptions whose UNSUBSCRIBE went unconfirmed (no UNSUBACK
	 * in time, the connection lost meanwhile); the client keeps the request and sends it
	 * again on its next connection, and routes the filter to the listener until the
	 * UNSUBACK.
	 */
	private final Map<String, List<ListenerSubscription>> unconfirmed = new ConcurrentHashMap<>();

	private final Set<MqttClient> watched = ConcurrentHashMap.newKeySet();

	private final MqttClients clients;

	/** The registry's lock. */
	private final Object lock;

	PendingUnsubscriptions(MqttClients clients, Object lock) {
		this.clients = clients;
		this.lock = lock;
	}

	/**
	 * Unsubscribes {@code subscriptions} of listener {@code id} once their client is
	 * connected (at once when it is again already).
	 */
	void add(String id, List<ListenerSubscription> subscriptions) {
		this.byListener.put(id, subscriptions);
		for (ListenerSubscription subscription : subscriptions) {
			watch(subscription.client());
			if (subscription.client().getMqttsta() == 0) {
				// connected again since the caller's check: its connected event may have
				// passed already
				unsubscribePending(subscription.client());
			}
		}
	}

	/**
	 * Takes back what listener {@code id} was still to unsubscribe, never unsubscribed as
	 * its client has not been connected since.
	 * @return those subscriptions, or {@code null}
	 */
	@Nullable List<ListenerSubscription> takeBack(String id) {
		return this.byListener.remove(id);
	}

	/**
	 * Remembers a subscription of listener {@code id} whose UNSUBSCRIBE the client could
	 * not confirm: until the UNSUBACK, the client still routes its filter to the
	 * listener.
	 */
	void unconfirmed(String id, ListenerSubscription subscription) {
		this.unconfirmed.computeIfAbsent(id, (key) -> new ArrayList<>()).add(subscription);
	}

	/**
	 * Takes back the subscriptions of listener {@code id} whose UNSUBSCRIBE was
	 * unconfirmed, by filter: subscribing again, the listener must reuse each one's
	 * listener, as the client may still route the filter to it.
	 */
	Map<String, SubscriptionListener> takeBackUnconfirmed(String id) {
		List<ListenerSubscription> subscriptions = this.unconfirmed.remove(id);
		Map<String, SubscriptionListener> byFilter = new java.util.HashMap<>();
		if (subscriptions != null) {
			subscriptions.forEach((subscription) -> byFilter.put(subscription.filter(), subscription.listener()));
		}
		return byFilter;
	}

	/** Takes back everything still to unsubscribe, or unconfirmed. */
	List<ListenerSubscription> takeAll() {
		List<ListenerSubscription> all = new ArrayList<>();
		this.byListener.values().forEach(all::addAll);
		this.byListener.clear();
		this.unconfirmed.values().forEach(all::addAll);
		this.unconfirmed.clear();
		return all;
	}

	/**
	 * The messages the listeners still to unsubscribe, or unconfirmed, of {@code client}
	 * hold now.
	 */
	int inFlight(MqttClient client) {
		return ListenerSubscription.inFlight(this.byListener.values(), client)
				+ ListenerSubscription.inFlight(this.unconfirmed.values(), client);
	}

	/**
	 * Unsubscribes, on {@code client}'s (re)connection, what was paused or stopped while
	 * it was not connected.
	 */
	private void watch(MqttClient client) {
		if (this.watched.add(client)) {
			client.addConnectionListener(new MqttConnectionListener() {

				@Override
				public void connected(MqttClient connected, boolean sessionPresent, boolean reconnect) {
					Thread unsubscriber = new Thread(() -> {
						synchronized (PendingUnsubscriptions.this.lock) {
							unsubscribePending(connected);
						}
					}, "umqtt-unsubscribe-" + connected.clientId());
					unsubscriber.setDaemon(true);
					unsubscriber.start();
				}

			});
		}
	}

	private void unsubscribePending(MqttClient client) {
		if (client.getMqttsta() != 0) {
			return;
		}
		for (Map.Entry<String, List<ListenerSubscription>> entry : new ArrayList<>(this.byListener.entrySet())) {
			List<ListenerSubscription> left = new ArrayList<>();
			for (ListenerSubscription subscription : entry.getValue()) {
				if (subscription.client() != client) {
					left.add(subscription);
					continue;
				}
				try {
					client.unsubscribe(subscription.filter());
					if (client.subscriptions().containsKey(subscription.filter())) {
						// the SUBACK of the subscription renewed at the reconnect came
						// after the UNSUBSCRIBE was made and put the filter back in the
						// client's session: the broker has it no more (it took the two in
						// order), the session must not renew it again
						client.unsubscribe(subscription.filter());
					}
				}
				catch (MqttException ex) {
					logger.warn("MQTT listener '" + entry.getKey() + "' could not confirm its unsubscription from '"
							+ subscription.filter() + "' after the reconnect: "
							+ this.clients.mask(client, ex.getMessage()));
				}
			}
			if (left.isEmpty()) {
				this.byListener.remove(entry.getKey());
			}
			else {
				this.byListener.put(entry.getKey(), left);
			}
		}
	}

}
