package io.umqtt.spring.listener;

import java.util.Collection;
import java.util.List;

import io.umqtt.core.MqttClient;

/**
 * One subscription of a listener: the client it is made on, its filter, and what the
 * client calls for its messages.
 *
 * @param client the client
 * @param clientName the client's name ({@code default} for the primary)
 * @param filter the filter as subscribed
 * @param listener what the client calls for the filter's messages
 */
record ListenerSubscription(MqttClient client, String clientName, String filter, SubscriptionListener listener) {

	/**
	 * How many messages the listeners of {@code client} among {@code subscriptions} hold:
	 * taken and not yet finished with.
	 */
	static int inFlight(Collection<List<ListenerSubscription>> subscriptions, MqttClient client) {
		int inFlight = 0;
		for (List<ListenerSubscription> list : subscriptions) {
			for (ListenerSubscription subscription : list) {
				if (subscription.client() == client) {
					inFlight += subscription.listener().inFlight();
				}
			}
		}
		return inFlight;
	}

}
