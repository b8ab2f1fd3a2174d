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
 * Holds every {@code @MqttSubscribe} endpoint and subscribes them once the context has started
 * (after the clients, which start earlier), unsubscribing them before the clients stop.
 * Listeners can be stopped and started, or paused and resumed, by id: both unsubscribe at the
 * broker and subscribe again; messages already on their way are still delivered.
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
		// resolve the client now: a listener naming an unknown client fails the context
		this.clients.get(endpoint.client());
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
			if (!this.paused.contains(endpoint.id())) {
				subscribe(endpoint);
			}
		}
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		for (String id : new ArrayList<>(this.active.keySet())) {
			unsubscribe(id);
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

	/** Stops one listener: unsubscribes its filters. */
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

	/** Pauses one listener: it is unsubscribed until {@link #resume(String)}. */
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
			io.umqtt.core.MqttMessageListener adapter = (this.executor != null)
					? new ConcurrentMqttListenerAdapter(invoker, this.executor) : invoker;
			String filter = endpoint.subscriptionFilter(topic);
			subscriptions.add(new Subscription(client, filter));
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
		for (Subscription subscription : subscriptions) {
			if (subscription.client().getMqttsta() != 0) {
				continue;
			}
			try {
				subscription.client().unsubscribe(subscription.filter());
			}
			catch (MqttException ex) {
				logger.warn("MQTT listener '" + id + "' could not unsubscribe from '" + subscription.filter() + "': "
						+ ex.getMessage());
			}
		}
	}

	private record Subscription(MqttClient client, String filter) {
	}


}
