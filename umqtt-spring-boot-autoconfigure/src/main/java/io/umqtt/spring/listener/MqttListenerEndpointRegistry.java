package io.umqtt.spring.listener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
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

	private final Map<String, List<ListenerSubscription>> active = new ConcurrentHashMap<>();

	private final Set<String> paused = ConcurrentHashMap.newKeySet();

	/**
	 * How long a paused or stopped listener's filter must have been quiet after the
	 * UNSUBACK before {@link #pause}/{@link #stopListener} return (within
	 * {@code umqtt.shutdown-timeout}).
	 */
	static final java.time.Duration LEFTOVER_QUIET = LateMessages.QUIET;

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

	/** What the broker sends under the filters of unsubscribed listeners. */
	private final LateMessages lateMessages = new LateMessages(this.failures);

	/**
	 * Listeners paused or stopped while their client was not connected, unsubscribed when
	 * it is.
	 */
	private final PendingUnsubscriptions unsubscribeOnConnect;

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
		this.unsubscribeOnConnect = new PendingUnsubscriptions(clients, this);
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
			checkSubscribeOptions(endpoint, client);
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
			subscribe(endpoint, Map.of());
		}
	}

	/** Refuses MQTT 5 subscription options on a client that is not on 5. */
	private void checkSubscribeOptions(MqttListenerEndpoint endpoint, MqttClient client) {
		Integer version = this.clients.version(client);
		if (!endpoint.options().equals(io.umqtt.core.SubscribeOptions.DEFAULT) && version != null && version != 5) {
			String name = this.clients.nameOf(client);
			throw new IllegalStateException("@MqttSubscribe on " + endpoint.method() + " sets " + endpoint.options()
					+ ", MQTT 5 subscription options, but its client '" + name + "' is on MQTT " + version
					+ ", which cannot send them: set "
					+ (MqttClients.PRIMARY.equals(name) ? "umqtt.version" : "umqtt.clients." + name + ".version")
					+ ": 5, or remove noLocal, retainAsPublished and retainHandling");
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
				subscribe(endpoint, Map.of());
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
				subscribe(endpoint, Map.of());
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
	 * reaches them through a message callback this puts in front of the client's; one the
	 * application set still gets every other topic, during the stop and after it) until
	 * their filters have been quiet for {@link #LEFTOVER_QUIET}; a message after that is
	 * declined, and goes with the clean session as MQTT has it, never acknowledged. Both
	 * within {@code umqtt.shutdown-timeout}; what is left then is not acknowledged. The
	 * clients disconnect after this (they are final then), so the registry is not started
	 * again on the same clients.
	 */
	@Override
	public synchronized void stop() {
		this.running = false;
		long deadline = System.nanoTime() + this.shutdownTimeout.toNanos();
		List<ListenerSubscription> stopping = new ArrayList<>();
		this.active.values().forEach(stopping::addAll);
		this.active.clear();
		List<ListenerSubscription> declining = this.unsubscribeOnConnect.takeAll();
		List<ListenerSubscription> kept = new ArrayList<>();
		List<ListenerSubscription> leaving = new ArrayList<>();
		for (ListenerSubscription subscription : stopping) {
			// a client that is not connected cannot unsubscribe; it disconnects next, its
			// clean session with it
			boolean unsubscribe = this.cleanSession.test(subscription.clientName())
					&& subscription.client().getMqttsta() == 0;
			(unsubscribe ? leaving : kept).add(subscription);
		}
		for (ListenerSubscription subscription : kept) {
			// what the client holds now was received before the stop: its listeners still
			// get it
			subscription.listener().stopTaking(subscription.client().pendingMessages());
		}
		// what the broker had queued and still sends after the UNSUBACK finds no route
		// any more; the client would acknowledge it unhandled on a clean session: it goes
		// to its listener instead
		this.lateMessages.stopping(leaving);
		unsubscribe("(stopping)", leaving, deadline, false);
		drain(stopping, deadline, true);
		// what the broker still sends after the UNSUBACK: handled until the filter has
		// gone quiet
		LateMessages.awaitQuietThenClose(leaving, deadline);
		// paused or stopped listeners still taking their old subscription's messages take
		// no more
		declining.addAll(this.lateMessages.closeAll());
		drain(declining, deadline, false);
	}

	/**
	 * Waits for {@code subscriptions} to finish their messages, and abandons what is left
	 * at the deadline.
	 */
	private void drain(List<ListenerSubscription> subscriptions, long deadline, boolean clientQueueToo) {
		for (ListenerSubscription subscription : subscriptions) {
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
		List<ListenerSubscription> waiting = this.unsubscribeOnConnect.takeBack(id);
		if (waiting != null) {
			// never unsubscribed (the client has not been connected since): the same
			// subscription goes on
			waiting.forEach((subscription) -> subscription.listener().reopen());
			this.active.put(id, waiting);
		}
		if (!this.active.containsKey(id)) {
			subscribe(endpoint, this.unsubscribeOnConnect.takeBackUnconfirmed(id));
		}
		// the new subscription's route takes its filters' messages now, the old
		// subscription's last ones too
		this.lateMessages.forget(id);
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
		// with the paused or stopped listeners still handling what the broker sent under
		// their old subscription
		return ListenerSubscription.inFlight(this.active.values(), client) + this.unsubscribeOnConnect.inFlight(client)
				+ this.lateMessages.inFlight(client);
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

	/**
	 * Subscribes the endpoint's filters. A filter in {@code stillRouted}, whose
	 * UNSUBSCRIBE the client could not confirm, is still routed to that listener until
	 * the UNSUBACK: it is subscribed with the same listener, which takes each message
	 * once, as a second listener for the filter would make the first one's refusal
	 * decline every message until then.
	 */
	private void subscribe(MqttListenerEndpoint endpoint, Map<String, SubscriptionListener> stillRouted) {
		MqttClient client = this.clients.get(endpoint.client());
		String clientName = this.clients.nameOf(client);
		List<ListenerSubscription> subscriptions = new ArrayList<>();
		for (TopicTemplate topic : endpoint.topics()) {
			String filter = endpoint.subscriptionFilter(topic);
			SubscriptionListener adapter = stillRouted.get(filter);
			if (adapter != null) {
				adapter.reopenForSecondRoute();
			}
			else {
				adapter = newListener(endpoint, topic, client, clientName);
			}
			subscriptions.add(new ListenerSubscription(client, clientName, filter, adapter));
			CompletableFuture<Integer> subscribed = endpoint.options().equals(io.umqtt.core.SubscribeOptions.DEFAULT)
					? client.subscribeAsync(filter, endpoint.qos(), adapter)
					: client.subscribeAsync(filter, endpoint.qos(), endpoint.options(), adapter);
			subscribed.whenComplete((granted, failure) -> {
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

	private SubscriptionListener newListener(MqttListenerEndpoint endpoint, TopicTemplate topic, MqttClient client,
			String clientName) {
		MessagingMqttListenerAdapter invoker = new MessagingMqttListenerAdapter(endpoint, topic, clientName,
				this.methodFactory.createInvocableHandlerMethod(endpoint.bean(), endpoint.method()), this.errorHandler,
				this.templates.apply(clientName), this.observations, this.retry,
				this.methodFactory instanceof MqttMessageHandlerMethodFactory standard
						&& standard.hasStandardResolvers());
		invoker.setFailures(this.failures);
		invoker.setErrorTextMask((text) -> this.clients.mask(client, text));
		return new SubscriptionListener(invoker, endpoint.id(), this.executor, this.failures);
	}

	private void unsubscribe(String id) {
		List<ListenerSubscription> subscriptions = this.active.remove(id);
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
	private void unsubscribe(String id, List<ListenerSubscription> subscriptions, long deadline, boolean close) {
		List<ListenerSubscription> unsubscribed = new ArrayList<>(subscriptions.size());
		List<ListenerSubscription> later = new ArrayList<>();
		for (ListenerSubscription subscription : subscriptions) {
			MqttClient client = subscription.client();
			if (client.getMqttsta() != 0) {
				subscription.listener().stopTaking(0);
				later.add(subscription);
				continue;
			}
			if (close) {
				// in place before the UNSUBACK takes the route away: the broker's last
				// messages under the filter go to the listener
				this.lateMessages.catchFor(id, subscription);
			}
			try {
				client.unsubscribe(subscription.filter());
				unsubscribed.add(subscription);
			}
			catch (MqttException ex) {
				// no UNSUBACK in time, or the connection went: the request stays queued
				// in the client, the route to the listener with it until the UNSUBACK
				// (a resume reuses that listener)
				this.lateMessages.release(client, id);
				subscription.listener().stopTaking(0);
				this.unsubscribeOnConnect.unconfirmed(id, subscription);
				logger.warn("MQTT listener '" + id + "' could not confirm its unsubscription from '"
						+ subscription.filter() + "': " + this.clients.mask(client, ex.getMessage())
						+ "; it takes no more messages, the ones still routed to it are not " + "acknowledged");
			}
		}
		if (!later.isEmpty()) {
			this.unsubscribeOnConnect.add(id, later);
		}
		if (close) {
			// the messages that arrived before the UNSUBACK reach the listener first,
			// then
			// those the broker had queued under the filter and sends after it, until the
			// filter has gone quiet
			this.lateMessages.awaitQuiet(id, unsubscribed, deadline);
		}
	}

}
