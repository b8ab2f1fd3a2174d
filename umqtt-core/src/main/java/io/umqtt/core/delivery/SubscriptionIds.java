package io.umqtt.core.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.umqtt.core.MqttMessageListener;
import io.umqtt.core.topic.SubscriptionTree;
import org.jspecify.annotations.Nullable;

/**
 * MQTT 5 subscription identifiers: one of its own for each subscribed filter (sent in its
 * SUBSCRIBE where the server supports them), and the routes of a received message found
 * by the identifiers it carries rather than by matching its topic. Thread-safe.
 */
final class SubscriptionIds {

	/** The largest identifier, a variable byte integer of four bytes [MQTT-3.8.2.1.2]. */
	static final int MAX = 268_435_455;

	private final Map<String, Integer> byFilter = new HashMap<>();

	private final Map<Integer, String> byId = new HashMap<>();

	private int last;

	/** The filter's identifier, a new one unless the filter has one already. */
	synchronized int idFor(String filter) {
		Integer known = this.byFilter.get(filter);
		if (known != null) {
			return known;
		}
		do {
			this.last = (this.last == MAX) ? 1 : this.last + 1;
		}
		while (this.byId.containsKey(this.last));
		this.byFilter.put(filter, this.last);
		this.byId.put(this.last, filter);
		return this.last;
	}

	/** The filter is no longer subscribed: its identifier is free. */
	synchronized void forget(String filter) {
		Integer id = this.byFilter.remove(filter);
		if (id != null) {
			this.byId.remove(id);
		}
	}

	/**
	 * The listeners of the filters whose identifiers a message carries.
	 * @param ids the message's subscription identifiers
	 * @param routes filter to listeners
	 * @return the listeners (empty: the callback's), or {@code null} when the message
	 * carries none or one this client did not give: then its topic is matched
	 */
	@Nullable List<MqttMessageListener> route(List<Integer> ids, SubscriptionTree<MqttMessageListener> routes) {
		return ids.isEmpty() ? null : routeBy(ids, routes);
	}

	private synchronized @Nullable List<MqttMessageListener> routeBy(List<Integer> ids,
			SubscriptionTree<MqttMessageListener> routes) {
		if (ids.size() == 1) {
			String filter = this.byId.get(ids.get(0));
			return (filter != null) ? routes.registered(filter) : null;
		}
		List<MqttMessageListener> listeners = new ArrayList<>();
		for (int id : ids) {
			String filter = this.byId.get(id);
			if (filter == null) {
				return null;
			}
			listeners.addAll(routes.registered(filter));
		}
		return listeners;
	}

}
