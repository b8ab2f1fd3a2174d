package io.umqtt.spring.listener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.umqtt.core.AsyncMqttMessageListener;
import io.umqtt.core.MessageNotHandledException;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttConnectionListener;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttMessageListener;
import io.umqtt.core.topic.TopicFilter;
import io.umqtt.spring.MqttClients;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.event.MqttSubscriptionFailedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;

/**
 * Holds every {@code @MqttSubscribe} endpoint and subscribes them when the context
 * starts: those of each configured client just before that client connects
 * ({@link #subscribeListenersOf}), so a resumed persistent session's messages find them,
 * the others in {@link #start()}. Listeners can be stopped and started, or paused and
 * resumed, by id: both unsubscribe at the broker and subscribe again.
 * <p>
 * Stopping never drops a message: a QoS 1/2 message is acknowledged only after its
 * listener handled it. {@link #stop()} (the context stopping, before the clients
 * disconnect) leaves the subscriptions of a persistent session at the broker and
 * unsubscribes those of a clean session first (see {@link #stop()}).
 * {@link #stopListener} and {@link #pause} unsubscribe, let the listener get and finish
 * what arrived before the UNSUBACK and what the broker still sends under the old
 * subscription after it, and return once its filter has been quiet for
 * {@link #LEFTOVER_QUIET}. Such late messages, which the client no longer routes, reach
 * the listener through a message callback the registry puts in front of the client's (one
 * the application set still gets the other topics); each is acknowledged once handled,
 * also one that comes after the pause returned, as none must hold a slot of the broker's
 * in-flight window while the client is connected. Done while the client is not connected,
 * they take effect at once and unsubscribe once it is connected again. Every wait is
 * bounded by {@code umqtt.shutdown-timeout}; what is left then is not acknowledged. A
 * stop cuts a retry back-off short; that message is not acknowledged either.
 * <p>
 * Start-up refuses a shared-subscription group with {@code /}, {@code +} or {@code #},
 * and a dead-letter topic that a listener's own filter, or any listener subscription of
 * the same client, would receive.
 * <p>
 * A subscription made while its client is still connecting is sent when the connection is
 * up; one refused by the broker is logged and published as a
 * {@link MqttSubscriptionFailedEvent}.
 */
public class MqttListenerEndpointRegistry implements SmartLifecycle {

	/**
	 * Starts after the clients ({@code Integer.MAX_VALUE - 2048}) and stops before them.
	 */
	public static final int PHASE = Integer.MAX_VALUE - 1024;

	private static final Log logger = LogFactory.getLog(MqttListenerEndpointRegistry.class);

	private final Map<String, MqttListenerEndpoint> endpoints = new LinkedHashMap<>();

	private final Map<String, List<Subscription>> active = new ConcurrentHashMap<>();

	private final Set<String> paused = ConcurrentHashMap.newKeySet();

	/**
	 * Listeners paused or stopped while their client was not connected, unsubscribed when
	 * it is.
	 */
	private final Map<String, List<Subscription>> unsubscribeOnConnect = new ConcurrentHashMap<>();

	private final Set<MqttClient> watched = ConcurrentHashMap.newKeySet();

	/**
	 * How long a paused or stopped listener's filter must have been quiet after the
	 * UNSUBACK before {@link #pause}/{@link #stopListener} return (within
	 * {@code umqtt.shutdown-timeout}).
	 */
	static final java.time.Duration LEFTOVER_QUIET = java.time.Duration.ofMillis(250);

	/**
	 * By client: the listeners unsubscribed by a pause or stop, which still get what the
	 * broker had queued for them.
	 */
	private final Map<MqttClient, Leftovers> leftovers = new ConcurrentHashMap<>();

	private final MqttClients clients;

	private final MessageHandlerMethodFactory methodFactory;

	private final MqttListenerErrorHandler errorHandler;

	private final Function<String, MqttTemplate> templates;

	private final ApplicationEventPublisher events;

	private volatile boolean running;

	private io.micrometer.observation.ObservationRegistry observations = io.micrometer.observation.ObservationRegistry.NOOP;

	private java.util.concurrent.@Nullable Executor executor;

	private ListenerRetry retry = ListenerRetry.NONE;

	private java.time.Duration shutdownTimeout = java.time.Duration.ofSeconds(10);

	private final ListenerFailures failures = new ListenerFailures();

	private java.util.function.Predicate<String> cleanSession = (clientName) -> false;

	/**
	 * Creates a new {@code MqttListenerEndpointRegistry}.
	 * @param clients the configured clients
	 * @param methodFactory builds the invocable methods (argument resolvers, converter,
	 * validator)
	 * @param errorHandler where listener failures go
	 * @param templates the template of each client, by client name, for {@code @SendTo}
	 * replies
	 * @param events where to publish subscription failures
	 */
	public MqttListenerEndpointRegistry(MqttClients clients, MessageHandlerMethodFactory methodFactory,
			MqttListenerErrorHandler errorHandler, Function<String, MqttTemplate> templates,
			ApplicationEventPublisher events) {
		this.clients = clients;
		this.methodFactory = methodFactory;
		this.errorHandler = errorHandler;
		this.templates = templates;
		this.events = events;
	}

	/** Where listener invocations are observed; no-op by default. */
	public void setObservationRegistry(io.micrometer.observation.ObservationRegistry observations) {
		this.observations = observations;
	}

	/**
	 * Runs listeners on {@code executor}: different subscriptions concurrently, each in
	 * order. Without one (the default) every listener of a client runs on its dispatch
	 * thread.
	 */
	public void setExecutor(java.util.concurrent.Executor executor) {
		this.executor = executor;
	}

	/**
	 * How long stopping listeners may take to finish the messages they have; 10 s by
	 * default.
	 */
	public void setShutdownTimeout(java.time.Duration shutdownTimeout) {
		if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
			throw new IllegalArgumentException("umqtt.shutdown-timeout must not be negative, was " + shutdownTimeout);
		}
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * Which clients, by name, connect with a clean session: {@link #stop()} unsubscribes
	 * their listeners before draining them. None by default (every session kept at the
	 * broker).
	 */
	public void setCleanSession(java.util.function.Predicate<String> cleanSession) {
		this.cleanSession = cleanSession;
	}

	/**
	 * Listener failures that left a message unacknowledged or were not handled, by kind.
	 */
	public ListenerFailures getFailures() {
		return this.failures;
	}

	/**
	 * How failing listener invocations are retried and dead-lettered; none by default.
	 */
	public void setRetry(ListenerRetry retry) {
		this.retry = retry;
	}

	/**
	 * Registers an endpoint; subscribed at once when the registry is already running.
	 * @param endpoint the endpoint
	 */
	public synchronized void register(MqttListenerEndpoint endpoint) {
		if (this.endpoints.putIfAbsent(endpoint.id(), endpoint) != null) {
			throw new IllegalStateException("Two MQTT listeners have the id '" + endpoint.id() + "'");
		}
		try {
			// resolve the client now: a listener naming an unknown client fails the
			// context
			MqttClient client = this.clients.get(endpoint.client());
			for (TopicTemplate topic : endpoint.topics()) {
				DeadLetterTopicCheck.check(this.retry, endpoint.id(), endpoint.subscriptionFilter(topic));
			}
			for (MqttListenerEndpoint other : this.endpoints.values()) {
				if (other != endpoint && this.clients.get(other.client()) == client) {
					checkDeadLetterTopics(endpoint, other);
					checkDeadLetterTopics(other, endpoint);
				}
			}
		}
		catch (RuntimeException ex) {
			this.endpoints.remove(endpoint.id());
			throw ex;
		}
		if (this.running) {
			subscribe(endpoint);
		}
	}

	/**
	 * Refuses a dead-letter topic of {@code failing} that a filter of {@code receiving}
	 * matches.
	 */
	private void checkDeadLetterTopics(MqttListenerEndpoint failing, MqttListenerEndpoint receiving) {
		for (TopicTemplate topic : failing.topics()) {
			for (TopicTemplate other : receiving.topics()) {
				DeadLetterTopicCheck.check(this.retry, failing.id(), failing.subscriptionFilter(topic), receiving.id(),
						receiving.subscriptionFilter(other));
			}
		}
	}

	/** The ids of the registered listeners. */
	public synchronized Set<String> getListenerIds() {
		return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(this.endpoints.keySet()));
	}

	/** The endpoint with {@code id}, or {@code null}. */
	public synchronized @Nullable MqttListenerEndpoint getEndpoint(String id) {
		return this.endpoints.get(id);
	}

	@Override
	public synchronized void start() {
		for (MqttListenerEndpoint endpoint : this.endpoints.values()) {
			if (!this.paused.contains(endpoint.id()) && !this.active.containsKey(endpoint.id())) {
				subscribe(endpoint);
			}
		}
		this.running = true;
	}

	/**
	 * Subscribes the listeners of one client ahead of {@link #start()}: the clients'
	 * lifecycle calls it before the client connects, so that the messages a resumed
	 * persistent session delivers right after the CONNACK find their listeners (the
	 * SUBSCRIBE is sent once connected). {@link #start()} then subscribes only the
	 * listeners not subscribed yet.
	 * @param clientName the client's name ({@code default} for the primary)
	 */
	public synchronized void subscribeListenersOf(String clientName) {
		MqttClient client = this.clients.get(clientName);
		for (MqttListenerEndpoint endpoint : this.endpoints.values()) {
			if (!this.paused.contains(endpoint.id()) && !this.active.containsKey(endpoint.id())
					&& this.clients.get(endpoint.client()) == client) {
				subscribe(endpoint);
			}
		}
	}

	/**
	 * Stops every listener. A QoS 1/2 message is never acknowledged without a listener
	 * having handled it. On a persistent session the subscriptions stay at the broker,
	 * which keeps the messages for the next connection: the listeners handle what the
	 * client had already received when the stop began, and every later message stays
	 * unacknowledged. On a clean session (see {@link #setCleanSession}), which cannot get
	 * a message again, each subscription is unsubscribed first, so the broker sends
	 * nothing more, and the listeners handle what it still sends (what it had queued
	 * reaches them through the client's message callback, which this sets, replacing one
	 * the application set) until their filters have been quiet for
	 * {@link #LEFTOVER_QUIET}; a message after that is declined, and goes with the clean
	 * session as MQTT has it, never acknowledged. Both within
	 * {@code umqtt.shutdown-timeout}; what is left then is not acknowledged. The clients
	 * disconnect after this (they are final then), so the registry is not started again
	 * on the same clients.
	 */
	@Override
	public synchronized void stop() {
		this.running = false;
		long deadline = System.nanoTime() + this.shutdownTimeout.toNanos();
		List<Subscription> stopping = new ArrayList<>();
		this.active.values().forEach(stopping::addAll);
		this.active.clear();
		List<Subscription> declining = new ArrayList<>();
		this.unsubscribeOnConnect.values().forEach(declining::addAll);
		this.unsubscribeOnConnect.clear();
		List<Subscription> kept = new ArrayList<>();
		List<Subscription> leaving = new ArrayList<>();
		for (Subscription subscription : stopping) {
			// a client that is not connected cannot unsubscribe; it disconnects next, its
			// clean session with it
			boolean unsubscribe = this.cleanSession.test(subscription.clientName())
					&& subscription.client().getMqttsta() == 0;
			(unsubscribe ? leaving : kept).add(subscription);
		}
		for (Subscription subscription : kept) {
			// what the client holds now was received before the stop: its listeners still
			// get it
			subscription.listener().stopTaking(subscription.client().pendingMessages());
		}
		Map<MqttClient, List<Subscription>> leavingByClient = new LinkedHashMap<>();
		leaving
			.forEach((subscription) -> leavingByClient.computeIfAbsent(subscription.client(), (c) -> new ArrayList<>())
				.add(subscription));
		// what the broker had queued and still sends after the UNSUBACK finds no route
		// any more; the
		// client would acknowledge it unhandled on a clean session: it goes to its
		// listener instead
		leavingByClient
			.forEach((client, subscriptions) -> client.setCallback(new Stopping(subscriptions, this.failures)));
		unsubscribe("(stopping)", leaving, deadline, false);
		drain(stopping, deadline, true);
		long quiet = LEFTOVER_QUIET.toNanos();
		for (Subscription subscription : leaving) {
			// what the broker still sends after the UNSUBACK: handled until the filter
			// has gone quiet
			subscription.listener().awaitQuiet(deadline, quiet, () -> subscription.client().pendingMessages() > 0);
			subscription.listener().stopTaking(0);
		}
		// paused or stopped listeners still taking their old subscription's messages take
		// no more
		this.leftovers.values().forEach((left) -> declining.addAll(left.closeAll()));
		this.leftovers.clear();
		drain(declining, deadline, false);
	}

	/**
	 * Waits for {@code subscriptions} to finish their messages, and abandons what is left
	 * at the deadline.
	 */
	private void drain(List<Subscription> subscriptions, long deadline, boolean clientQueueToo) {
		for (Subscription subscription : subscriptions) {
			MqttClient client = subscription.client();
			boolean drained = subscription.listener()
				.awaitDrained(deadline, () -> clientQueueToo && client.pendingMessages() > 0);
			if (!drained) {
				subscription.listener().abandon();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Stops one listener: unsubscribes its filters, then lets it finish the messages it
	 * was handed and those the broker still sends under them, until its filters have been
	 * quiet for {@link #LEFTOVER_QUIET}, up to {@code umqtt.shutdown-timeout}. What is
	 * left then is still handled as it comes, then acknowledged (a WARN says so).
	 */
	public synchronized void stopListener(String id) {
		requireEndpoint(id);
		unsubscribe(id);
	}

	/** Starts one listener again: subscribes its filters. */
	public synchronized void startListener(String id) {
		MqttListenerEndpoint endpoint = requireEndpoint(id);
		this.paused.remove(id);
		List<Subscription> waiting = this.unsubscribeOnConnect.remove(id);
		if (waiting != null) {
			// never unsubscribed (the client has not been connected since): the same
			// subscription goes on
			waiting.forEach((subscription) -> subscription.listener().reopen());
			this.active.put(id, waiting);
		}
		if (!this.active.containsKey(id)) {
			subscribe(endpoint);
		}
		// the new subscription's route takes its filters' messages now, the old
		// subscription's last ones too
		this.leftovers.values().forEach((left) -> left.remove(id));
	}

	/**
	 * Pauses one listener: it is unsubscribed (as {@link #stopListener} does, with the
	 * same wait) until {@link #resume(String)}.
	 */
	public synchronized void pause(String id) {
		requireEndpoint(id);
		this.paused.add(id);
		unsubscribe(id);
	}

	/** Resumes a paused listener. */
	public synchronized void resume(String id) {
		startListener(id);
	}

	/**
	 * How many messages the listeners of {@code client} hold now: taken from the client
	 * (each holding one of its delivery slots) and not yet finished with, so not yet
	 * acknowledged. Those of the running listeners, of the paused or stopped ones still
	 * handling what the broker sent under their old subscription, and of the ones paused
	 * while disconnected; cheap, never waits for a stop or pause in progress.
	 * @param client the client
	 * @return the messages in the listeners' hands
	 */
	public int getInFlight(MqttClient client) {
		int inFlight = 0;
		for (List<Subscription> subscriptions : this.active.values()) {
			inFlight += inFlight(subscriptions, client);
		}
		for (List<Subscription> subscriptions : this.unsubscribeOnConnect.values()) {
			inFlight += inFlight(subscriptions, client);
		}
		Leftovers left = this.leftovers.get(client);
		if (left != null) {
			// paused or stopped listeners still handling what the broker sent under their
			// old subscription
			for (List<Subscription> subscriptions : left.byListener.values()) {
				inFlight += inFlight(subscriptions, client);
			}
		}
		return inFlight;
	}

	private static int inFlight(List<Subscription> subscriptions, MqttClient client) {
		int inFlight = 0;
		for (Subscription subscription : subscriptions) {
			if (subscription.client() == client) {
				inFlight += subscription.listener().inFlight();
			}
		}
		return inFlight;
	}

	/** Whether the listener is subscribed now. */
	public boolean isListenerRunning(String id) {
		return this.active.containsKey(id);
	}

	private MqttListenerEndpoint requireEndpoint(String id) {
		MqttListenerEndpoint endpoint = this.endpoints.get(id);
		if (endpoint == null) {
			throw new IllegalArgumentException(
					"No MQTT listener with id '" + id + "'; known: " + this.endpoints.keySet());
		}
		return endpoint;
	}

	private void subscribe(MqttListenerEndpoint endpoint) {
		MqttClient client = this.clients.get(endpoint.client());
		String clientName = this.clients.nameOf(client);
		List<Subscription> subscriptions = new ArrayList<>();
		for (TopicTemplate topic : endpoint.topics()) {
			MessagingMqttListenerAdapter invoker = new MessagingMqttListenerAdapter(endpoint, topic, clientName,
					this.methodFactory.createInvocableHandlerMethod(endpoint.bean(), endpoint.method()),
					this.errorHandler, this.templates.apply(clientName), this.observations, this.retry,
					this.methodFactory instanceof MqttMessageHandlerMethodFactory standard
							&& standard.hasStandardResolvers());
			invoker.setFailures(this.failures);
			invoker.setErrorTextMask((text) -> this.clients.mask(client, text));
			SubscriptionListener adapter = new SubscriptionListener(invoker, endpoint.id(), this.executor,
					this.failures);
			String filter = endpoint.subscriptionFilter(topic);
			subscriptions.add(new Subscription(client, clientName, filter, adapter));
			client.subscribeAsync(filter, endpoint.qos(), adapter).whenComplete((granted, failure) -> {
				if (failure != null) {
					String reason = this.clients.mask(client,
							(failure.getCause() != null) ? failure.getCause().getMessage() : failure.getMessage());
					logger.error(
							"MQTT listener '" + endpoint.id() + "' could not subscribe to '" + filter + "': " + reason);
					this.events.publishEvent(new MqttSubscriptionFailedEvent(client, clientName, filter, reason));
				}
				else if (logger.isDebugEnabled()) {
					logger.debug("MQTT listener '" + endpoint.id() + "' subscribed to '" + filter + "' (QoS " + granted
							+ ")");
				}
			});
		}
		this.active.put(endpoint.id(), subscriptions);
	}

	private void unsubscribe(String id) {
		List<Subscription> subscriptions = this.active.remove(id);
		if (subscriptions == null) {
			return;
		}
		long deadline = System.nanoTime() + this.shutdownTimeout.toNanos();
		unsubscribe(id, subscriptions, deadline, true);
	}

	/**
	 * Unsubscribes {@code subscriptions} at the broker; when this returns, their
	 * listeners take no more messages (each one still handed to them is declined: not
	 * handled, not acknowledged), unless {@code close} is off (then the caller drains and
	 * closes them). A connected client's listeners first get every message received
	 * before the UNSUBACK: those are queued in the client ahead of the route change, so
	 * this waits until the client's queue has been handed out (up to the deadline). A
	 * client that is not connected cannot unsubscribe now: its subscription is
	 * unsubscribed as soon as it is connected again (its listener declining what the
	 * renewed subscription brings meanwhile), unless
	 * {@link #resume}/{@link #startListener} came first, which then takes the same
	 * subscription up again instead of subscribing a second time.
	 */
	private void unsubscribe(String id, List<Subscription> subscriptions, long deadline, boolean close) {
		List<Subscription> unsubscribed = new ArrayList<>(subscriptions.size());
		List<Subscription> later = new ArrayList<>();
		for (Subscription subscription : subscriptions) {
			MqttClient client = subscription.client();
			if (client.getMqttsta() != 0) {
				subscription.listener().stopTaking(0);
				later.add(subscription);
				continue;
			}
			if (close) {
				// in place before the UNSUBACK takes the route away: the broker's last
				// messages under the filter go to the listener
				leftoversOf(client).add(id, subscription);
			}
			try {
				client.unsubscribe(subscription.filter());
				unsubscribed.add(subscription);
			}
			catch (MqttException ex) {
				// no UNSUBACK in time, or the connection went: the request stays queued
				// in the client
				Leftovers left = this.leftovers.get(client);
				if (left != null) {
					left.remove(id);
				}
				subscription.listener().stopTaking(0);
				logger.warn("MQTT listener '" + id + "' could not confirm its unsubscription from '"
						+ subscription.filter() + "': " + this.clients.mask(client, ex.getMessage())
						+ "; it takes no more messages, the ones still routed to it are not " + "acknowledged");
			}
		}
		if (!later.isEmpty()) {
			this.unsubscribeOnConnect.put(id, later);
			for (Subscription subscription : later) {
				watch(subscription.client());
				if (subscription.client().getMqttsta() == 0) {
					// connected again since the check above: its connected event may have
					// passed already
					unsubscribePending(subscription.client());
				}
			}
		}
		for (Subscription subscription : close ? unsubscribed : List.<Subscription>of()) {
			MqttClient client = subscription.client();
			// the messages that arrived before the UNSUBACK reach the listener first,
			// then those the
			// broker had queued under the filter and sends after it, until the filter has
			// gone quiet
			boolean quiet = subscription.listener()
				.awaitQuiet(deadline, LEFTOVER_QUIET.toNanos(), () -> client.pendingMessages() > 0);
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

	private Leftovers leftoversOf(MqttClient client) {
		return this.leftovers.computeIfAbsent(client, (c) -> {
			// the application's own callback, if it set one, still gets the topics it had
			Leftovers created = new Leftovers(this.failures, c.getCallback());
			c.setCallback(created);
			return created;
		});
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
					Thread unsubscriber = new Thread(() -> unsubscribePending(connected),
							"umqtt-unsubscribe-" + connected.clientId());
					unsubscriber.setDaemon(true);
					unsubscriber.start();
				}

			});
		}
	}

	private synchronized void unsubscribePending(MqttClient client) {
		if (client.getMqttsta() != 0) {
			return;
		}
		for (Map.Entry<String, List<Subscription>> entry : new ArrayList<>(this.unsubscribeOnConnect.entrySet())) {
			List<Subscription> left = new ArrayList<>();
			for (Subscription subscription : entry.getValue()) {
				if (subscription.client() != client) {
					left.add(subscription);
					continue;
				}
				try {
					client.unsubscribe(subscription.filter());
					if (client.subscriptions().containsKey(subscription.filter())) {
						// the SUBACK of the subscription renewed at the reconnect came
						// after the UNSUBSCRIBE
						// was made and put the filter back in the client's session: the
						// broker has it no more
						// (it took the two in order), the session must not renew it again
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
				this.unsubscribeOnConnect.remove(entry.getKey());
			}
			else {
				this.unsubscribeOnConnect.put(entry.getKey(), left);
			}
		}
	}

	/**
	 * The callback of a clean-session client while its listeners stop: a message its
	 * broker had queued before the UNSUBSCRIBE and sends after the UNSUBACK (when the
	 * client routes it no more) goes to the stopping listener whose filter matches it,
	 * which handles it within the shutdown timeout or declines it; one matching none is
	 * declined. Never acknowledged unhandled.
	 */
	private record Stopping(List<Subscription> subscriptions,
			ListenerFailures failures) implements AsyncMqttMessageListener {

		@Override
		public CompletionStage<?> onMessageAsync(MqttMessage message) {
			for (Subscription subscription : this.subscriptions) {
				if (TopicFilter.matches(TopicFilter.matchingFilter(subscription.filter()), message.topic())) {
					return subscription.listener().onMessageAsync(message);
				}
			}
			this.failures.record("(stopped)", ListenerFailures.Kind.NOT_DRAINED);
			return CompletableFuture.failedFuture(new MessageNotHandledException("the listeners have stopped"));
		}

	}

	/**
	 * The callback of a client whose listeners were paused or stopped while it was
	 * connected: a message the broker had queued under a filter they were unsubscribed
	 * from, sent after the UNSUBACK (when the client routes it no more), goes to the
	 * listener that had the filter and is acknowledged once that listener handled it.
	 * Left unacknowledged on the live connection, it would hold a slot of the broker's
	 * in-flight window until the next connection (Mosquitto's stock window is 20), and
	 * the client's other listeners would get nothing once the window is full. A message
	 * matching none of them is declined.
	 */
	private static final class Leftovers implements AsyncMqttMessageListener {

		private final Map<String, List<Subscription>> byListener = new ConcurrentHashMap<>();

		private final ListenerFailures failures;

		private final @Nullable MqttMessageListener previous;

		Leftovers(ListenerFailures failures, @Nullable MqttMessageListener previous) {
			this.failures = failures;
			this.previous = previous;
		}

		void add(String id, Subscription subscription) {
			this.byListener.computeIfAbsent(id, (key) -> new java.util.concurrent.CopyOnWriteArrayList<>())
				.add(subscription);
		}

		void remove(String id) {
			this.byListener.remove(id);
		}

		/** Makes every listener here take no more messages; returns them, to drain. */
		List<Subscription> closeAll() {
			List<Subscription> all = new ArrayList<>();
			this.byListener.values().forEach(all::addAll);
			all.forEach((subscription) -> subscription.listener().stopTaking(0));
			return all;
		}

		@Override
		public CompletionStage<?> onMessageAsync(MqttMessage message) {
			for (List<Subscription> subscriptions : this.byListener.values()) {
				for (Subscription subscription : subscriptions) {
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

	private record Subscription(MqttClient client, String clientName, String filter, SubscriptionListener listener) {
	}

}
