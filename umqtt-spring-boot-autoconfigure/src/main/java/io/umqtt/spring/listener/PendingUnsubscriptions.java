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

	/** Takes back everything still to unsubscribe. */
	List<ListenerSubscription> takeAll() {
		List<ListenerSubscription> all = new ArrayList<>();
		this.byListener.values().forEach(all::addAll);
		this.byListener.clear();
		return all;
	}

	/** The messages the listeners still to unsubscribe of {@code client} hold now. */
	int inFlight(MqttClient client) {
		return ListenerSubscription.inFlight(this.byListener.values(), client);
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
