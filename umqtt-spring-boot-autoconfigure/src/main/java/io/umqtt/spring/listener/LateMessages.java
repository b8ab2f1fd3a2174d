package io.umqtt.spring.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.AsyncMqttMessageListener;
import io.umqtt.core.MessageNotHandledException;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttMessageListener;
import io.umqtt.core.topic.TopicFilter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The messages a broker still sends under a filter after the UNSUBACK, when the client
 * routes them no more: what it had queued for the subscription before the UNSUBSCRIBE.
 * For each client whose listeners were unsubscribed, this puts a message callback in
 * front of the client's that hands such a message to the listener that had the filter,
 * and waits, after an unsubscription, until those filters have been quiet for
 * {@link #QUIET}. Used by {@link MqttListenerEndpointRegistry}, under its lock.
 */
final class LateMessages {

	/**
	 * How long an unsubscribed listener's filter must have been quiet after the UNSUBACK
	 * before a pause or stop returns (within {@code umqtt.shutdown-timeout}).
	 */
	static final Duration QUIET = Duration.ofMillis(250);

	private static final Log logger = LogFactory.getLog(MqttListenerEndpointRegistry.class);

	/** The key of the listeners of a clean session unsubscribed by a stop. */
	private static final String STOPPING = "(stopping)";

	/**
	 * By client: the listeners unsubscribed by a pause or stop, which still get what the
	 * broker had queued for them.
	 */
	private final Map<MqttClient, Leftovers> leftovers = new ConcurrentHashMap<>();

	private final ListenerFailures failures;

	LateMessages(ListenerFailures failures) {
		this.failures = failures;
	}

	/**
	 * Makes the broker's last messages under {@code subscription}'s filter go to its
	 * listener once the client no longer routes them; call before the UNSUBSCRIBE.
	 */
	void catchFor(String id, ListenerSubscription subscription) {
		leftoversOf(subscription.client()).add(id, subscription);
	}

	/** Hands {@code client}'s late messages to listener {@code id} no more. */
	void release(MqttClient client, String id) {
		Leftovers left = this.leftovers.get(client);
		if (left != null) {
			left.remove(id);
		}
	}

	/**
	 * Hands late messages to listener {@code id} no more, on every client: it is
	 * subscribed again, and its new subscription's route takes them.
	 */
	void forget(String id) {
		this.leftovers.values().forEach((left) -> left.remove(id));
	}

	/**
	 * Makes every listener still getting late messages take no more, and forgets them;
	 * their clients' callbacks still hand the other topics to the application's own.
	 * @return those listeners, to drain, but for those of {@link #stopping}
	 */
	List<ListenerSubscription> closeAll() {
		List<ListenerSubscription> closed = new ArrayList<>();
		this.leftovers.values().forEach((left) -> {
			left.closeAll();
			left.byListener.forEach((id, subscriptions) -> {
				if (!STOPPING.equals(id)) {
					closed.addAll(subscriptions);
				}
			});
		});
		this.leftovers.clear();
		return closed;
	}

	/** The messages the listeners getting late messages of {@code client} hold now. */
	int inFlight(MqttClient client) {
		Leftovers left = this.leftovers.get(client);
		return (left != null) ? ListenerSubscription.inFlight(left.byListener.values(), client) : 0;
	}

	/**
	 * Makes the messages the broker still sends under the filters of {@code leaving},
	 * listeners of a clean session unsubscribed at a stop, go to them: each handles them
	 * until {@link #awaitQuietThenClose} and declines them after. A message of another
	 * topic still goes to the application's own callback, if it set one. Call before the
	 * UNSUBSCRIBE.
	 */
	void stopping(List<ListenerSubscription> leaving) {
		leaving.forEach((subscription) -> catchFor(STOPPING, subscription));
	}

	/**
	 * Waits until each of {@code unsubscribed} got the messages that arrived before the
	 * UNSUBACK, then those the broker had queued under its filter and sends after it, and
	 * its filter has gone quiet, up to {@code deadline} ({@link System#nanoTime()}); one
	 * still getting messages then has its retry back-offs cut and handles the rest as
	 * they come.
	 */
	void awaitQuiet(String id, List<ListenerSubscription> unsubscribed, long deadline) {
		for (ListenerSubscription subscription : unsubscribed) {
			MqttClient client = subscription.client();
			boolean quiet = subscription.listener()
				.awaitQuiet(deadline, QUIET.toNanos(), () -> client.pendingMessages() > 0);
			if (!quiet) {
				// a retry back-off ends now (that message stays unacknowledged); the rest
				// is handled as it comes
				subscription.listener().cutBackOffs();
				logger.warn("MQTT listener '" + id + "' still gets messages the broker had queued under '"
						+ subscription.filter() + "' when umqtt.shutdown-timeout ran out ("
						+ subscription.listener().inFlight()
						+ " in hand); it handles them as they come, without retry back-offs, and each is acknowledged once "
						+ "handled, so that none holds back the broker's in-flight window for the other listeners of the client");
			}
		}
	}

	/**
	 * Lets each of {@code leaving} handle what the broker still sends after the UNSUBACK
	 * until its filter has gone quiet, up to {@code deadline}, then makes it take no
	 * more.
	 */
	static void awaitQuietThenClose(List<ListenerSubscription> leaving, long deadline) {
		for (ListenerSubscription subscription : leaving) {
			subscription.listener()
				.awaitQuiet(deadline, QUIET.toNanos(), () -> subscription.client().pendingMessages() > 0);
			subscription.listener().stopTaking(0);
		}
	}

	private Leftovers leftoversOf(MqttClient client) {
		Leftovers current = this.leftovers.get(client);
		if (current != null && client.getCallback() == current) {
			return current;
		}
		// the application's own callback, if it set one (also one it set after ours),
		// still gets the topics it had
		Leftovers created = new Leftovers(this.failures, client.getCallback());
		if (current != null) {
			created.byListener.putAll(current.byListener);
		}
		client.setCallback(created);
		this.leftovers.put(client, created);
		return created;
	}

	/**
	 * The callback of a client whose listeners were paused or stopped while it was
	 * connected, or unsubscribed by a stop on a clean session: a message the broker had
	 * queued under a filter they were unsubscribed from, sent after the UNSUBACK (when
	 * the client routes it no more), goes to the listener that had the filter and is
	 * acknowledged once that listener handled it (one that stopped taking messages
	 * declines it: never acknowledged unhandled). Left unacknowledged on the live
	 * connection, it would hold a slot of the broker's in-flight window until the next
	 * connection (Mosquitto's stock window is 20), and the client's other listeners would
	 * get nothing once the window is full. A message matching none of them goes to the
	 * application's own callback, if it set one, and is declined otherwise.
	 */
	private static final class Leftovers implements AsyncMqttMessageListener {

		private final Map<String, List<ListenerSubscription>> byListener = new ConcurrentHashMap<>();

		private final ListenerFailures failures;

		private final @Nullable MqttMessageListener previous;

		Leftovers(ListenerFailures failures, @Nullable MqttMessageListener previous) {
			this.failures = failures;
			this.previous = previous;
		}

		void add(String id, ListenerSubscription subscription) {
			this.byListener.computeIfAbsent(id, (key) -> new CopyOnWriteArrayList<>()).add(subscription);
		}

		void remove(String id) {
			this.byListener.remove(id);
		}

		/** Makes every listener here take no more messages; returns them, to drain. */
		List<ListenerSubscription> closeAll() {
			List<ListenerSubscription> all = new ArrayList<>();
			this.byListener.values().forEach(all::addAll);
			all.forEach((subscription) -> subscription.listener().stopTaking(0));
			return all;
		}

		@Override
		public CompletionStage<?> onMessageAsync(MqttMessage message) {
			for (List<ListenerSubscription> subscriptions : this.byListener.values()) {
				for (ListenerSubscription subscription : subscriptions) {
					if (TopicFilter.matches(TopicFilter.matchingFilter(subscription.filter()), message.topic())) {
						return subscription.listener().onMessageAsync(message);
					}
				}
			}
			if (this.previous instanceof AsyncMqttMessageListener async) {
				return async.onMessageAsync(message);
			}
			if (this.previous != null) {
				// as when the client calls it itself: what it throws is the client's to
				// handle
				this.previous.onMessage(message);
				return CompletableFuture.completedFuture(null);
			}
			this.failures.record("(unsubscribed)", ListenerFailures.Kind.NOT_DRAINED);
			return CompletableFuture.failedFuture(new MessageNotHandledException("no listener has this topic"));
		}

	}

}
