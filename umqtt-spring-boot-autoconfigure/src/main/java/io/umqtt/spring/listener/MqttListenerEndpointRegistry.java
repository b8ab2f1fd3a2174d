package io.umqtt.spring.listener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.spring.MqttClients;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.event.MqttSubscriptionFailedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;

/**
 * Holds every {@code @MqttSubscribe} endpoint and subscribes them when the context starts: those
 * of each configured client just before that client connects ({@link #subscribeListenersOf}), so a
 * resumed persistent session's messages find them, the others in {@link #start()}. Listeners can be stopped and started, or paused and
 * resumed, by id: both unsubscribe at the broker and subscribe again.
 * <p>
 * Stopping never drops a message: a QoS 1/2 message is acknowledged only after its listener
 * handled it. {@link #stop()} (the context stopping, before the clients disconnect) leaves the
 * subscriptions at the broker, so that a persistent session keeps receiving, lets the listeners
 * finish the messages already received (handed to them or queued in the client), up to
 * {@code umqtt.shutdown-timeout} in all, and leaves every other message unacknowledged: the broker
 * delivers it again on the next connection of a persistent session. {@link #stopListener} and
 * {@link #pause} unsubscribe, then let the listener finish what it was handed, within the same
 * bound. A stop cuts a retry back-off short; that message is not acknowledged either.
 * <p>
 * Start-up refuses a shared-subscription group with {@code /}, {@code +} or {@code #}, and a
 * dead-letter topic a listener's own filter would receive.
 * <p>
 * A subscription made while its client is still connecting is sent when the connection is up;
 * one refused by the broker is logged and published as a {@link MqttSubscriptionFailedEvent}.
 */
public class MqttListenerEndpointRegistry implements SmartLifecycle {

	/** Starts after the clients ({@code Integer.MAX_VALUE - 2048}) and stops before them. */
	public static final int PHASE = Integer.MAX_VALUE - 1024;

	private static final Log logger = LogFactory.getLog(MqttListenerEndpointRegistry.class);

	private final Map<String, MqttListenerEndpoint> endpoints = new LinkedHashMap<>();

	private final Map<String, List<Subscription>> active = new ConcurrentHashMap<>();

	private final Set<String> paused = ConcurrentHashMap.newKeySet();

	private final MqttClients clients;

	private final MessageHandlerMethodFactory methodFactory;

	private final MqttListenerErrorHandler errorHandler;

	private final Function<String, MqttTemplate> templates;

	private final ApplicationEventPublisher events;

	private volatile boolean running;

	private io.micrometer.observation.ObservationRegistry observations = io.micrometer.observation.ObservationRegistry.NOOP;

	private java.util.concurrent.Executor executor;

	private ListenerRetry retry = ListenerRetry.NONE;

	private java.time.Duration shutdownTimeout = java.time.Duration.ofSeconds(10);

	private final ListenerFailures failures = new ListenerFailures();

	/**
	 * @param clients the configured clients
	 * @param methodFactory builds the invocable methods (argument resolvers, converter, validator)
	 * @param errorHandler where listener failures go
	 * @param templates the template of each client, by client name, for {@code @SendTo} replies
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
	 * Runs listeners on {@code executor}: different subscriptions concurrently, each in order.
	 * Without one (the default) every listener of a client runs on its dispatch thread.
	 */
	public void setExecutor(java.util.concurrent.Executor executor) {
		this.executor = executor;
	}

	/** How long stopping listeners may take to finish the messages they have; 10 s by default. */
	public void setShutdownTimeout(java.time.Duration shutdownTimeout) {
		if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
			throw new IllegalArgumentException("umqtt.shutdown-timeout must not be negative, was " + shutdownTimeout);
		}
		this.shutdownTimeout = shutdownTimeout;
	}

	/** Listener failures that left a message unacknowledged or were not handled, by kind. */
	public ListenerFailures getFailures() {
		return this.failures;
	}

	/** How failing listener invocations are retried and dead-lettered; none by default. */
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
			// resolve the client now: a listener naming an unknown client fails the context
			this.clients.get(endpoint.client());
			for (TopicTemplate topic : endpoint.topics()) {
				DeadLetterTopicCheck.check(this.retry, endpoint.id(), endpoint.subscriptionFilter(topic));
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

	/** The ids of the registered listeners. */
	public synchronized Set<String> getListenerIds() {
		return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(this.endpoints.keySet()));
	}

	/** The endpoint with {@code id}, or {@code null}. */
	public synchronized MqttListenerEndpoint getEndpoint(String id) {
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
	 * Subscribes the listeners of one client ahead of {@link #start()}: the clients' lifecycle
	 * calls it before the client connects, so that the messages a resumed persistent session
	 * delivers right after the CONNACK find their listeners (the SUBSCRIBE is sent once connected).
	 * {@link #start()} then subscribes only the listeners not subscribed yet.
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
	 * Stops every listener, keeping the subscriptions at the broker: the messages already received
	 * are handled first, up to {@code umqtt.shutdown-timeout}; the rest stay unacknowledged. The
	 * clients disconnect after this (they are final then), so the registry is not started again
	 * on the same clients.
	 */
	@Override
	public synchronized void stop() {
		this.running = false;
		long deadline = System.nanoTime() + this.shutdownTimeout.toNanos();
		List<Subscription> stopping = new ArrayList<>();
		this.active.values().forEach(stopping::addAll);
		this.active.clear();
		for (Subscription subscription : stopping) {
			// what the client holds now was received before the stop: its listeners still get it
			subscription.listener().stopTaking(subscription.client().pendingMessages());
		}
		drain(stopping, deadline, true);
	}

	/** Waits for {@code subscriptions} to finish their messages, and abandons what is left at the deadline. */
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
	 * Stops one listener: unsubscribes its filters, then lets it finish the messages it was
	 * handed, up to {@code umqtt.shutdown-timeout}; what is left then stays unacknowledged.
	 */
	public synchronized void stopListener(String id) {
		requireEndpoint(id);
		unsubscribe(id);
	}

	/** Starts one listener again: subscribes its filters. */
	public synchronized void startListener(String id) {
		MqttListenerEndpoint endpoint = requireEndpoint(id);
		this.paused.remove(id);
		if (!this.active.containsKey(id)) {
			subscribe(endpoint);
		}
	}

	/** Pauses one listener: it is unsubscribed (as {@link #stopListener} does) until {@link #resume(String)}. */
	public synchronized void pause(String id) {
		requireEndpoint(id);
		this.paused.add(id);
		unsubscribe(id);
	}

	/** Resumes a paused listener. */
	public synchronized void resume(String id) {
		startListener(id);
	}

	/** Whether the listener is subscribed now. */
	public boolean isListenerRunning(String id) {
		return this.active.containsKey(id);
	}

	private MqttListenerEndpoint requireEndpoint(String id) {
		MqttListenerEndpoint endpoint = this.endpoints.get(id);
		if (endpoint == null) {
			throw new IllegalArgumentException("No MQTT listener with id '" + id + "'; known: " + this.endpoints.keySet());
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
			SubscriptionListener adapter = new SubscriptionListener(invoker, endpoint.id(), this.executor,
					this.failures);
			String filter = endpoint.subscriptionFilter(topic);
			subscriptions.add(new Subscription(client, filter, adapter));
			client.subscribeAsync(filter, endpoint.qos(), adapter).whenComplete((granted, failure) -> {
				if (failure != null) {
					String reason = (failure.getCause() != null) ? failure.getCause().getMessage() : failure.getMessage();
					logger.error("MQTT listener '" + endpoint.id() + "' could not subscribe to '" + filter + "': "
							+ reason);
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
		List<Subscription> unrouted = new ArrayList<>(subscriptions.size());
		for (Subscription subscription : subscriptions) {
			if (subscription.client().getMqttsta() != 0) {
				// not connected: nothing sent, the client keeps routing to it (as before the stop)
				continue;
			}
			unrouted.add(subscription);
			try {
				subscription.client().unsubscribe(subscription.filter());
			}
			catch (MqttException ex) {
				logger.warn("MQTT listener '" + id + "' could not unsubscribe from '" + subscription.filter() + "': "
						+ ex.getMessage());
			}
		}
		// the client routes nothing more to them: they finish what they were handed
		drain(unrouted, deadline, false);
	}

	private record Subscription(MqttClient client, String filter, SubscriptionListener listener) {
	}

}
