package io.umqtt.spring.boot.autoconfigure;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttConnectionListener;
import io.umqtt.core.MqttException;
import io.umqtt.spring.MqttClients;
import io.umqtt.spring.event.MqttConnectedEvent;
import io.umqtt.spring.event.MqttConnectionLostEvent;
import io.umqtt.spring.event.MqttSubscriptionFailedEvent;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Connects the configured clients when the context starts and disconnects them when it
 * stops. By default each client connects in the background and keeps trying, so the
 * application starts while the broker is down (health shows the client connecting); with
 * {@code umqtt.fail-fast} the start fails instead. On stop, in-flight QoS 1 and 2
 * messages get up to {@code umqtt.shutdown-timeout} to be acknowledged, then the client
 * sends DISCONNECT; stop never waits longer than that per client, even when the broker
 * never answered.
 * <p>
 * The {@code @MqttSubscribe} listeners of a client are subscribed before it connects
 * (their SUBSCRIBE goes out with the connection), so the messages a resumed persistent
 * session holds for them, delivered right after the CONNACK, find their listeners in the
 * same connection. A client with {@code reconn=false} cannot queue a subscription before
 * its first connection: its listeners are subscribed right after the connection attempt
 * has started, before the CONNACK.
 * <p>
 * Connection changes are published as {@link MqttConnectedEvent},
 * {@link MqttConnectionLostEvent} and {@link MqttSubscriptionFailedEvent}.
 */
class MqttClientsLifecycle implements SmartLifecycle {

	/** Clients start before the listener registry subscribes, and stop after it. */
	static final int PHASE = Integer.MAX_VALUE - 2048;

	private static final Log logger = LogFactory.getLog(MqttClientsLifecycle.class);

	private final MqttClients clients;

	private final UmqttProperties properties;

	private final ApplicationEventPublisher events;

	private final ObjectProvider<MqttListenerEndpointRegistry> registry;

	private volatile boolean running;

	MqttClientsLifecycle(MqttClients clients, UmqttProperties properties, ApplicationEventPublisher events,
			ObjectProvider<MqttListenerEndpointRegistry> registry) {
		this.clients = clients;
		this.properties = properties;
		this.events = events;
		this.registry = registry;
	}

	@Override
	public void start() {
		MqttListenerEndpointRegistry listeners = this.registry.getIfAvailable();
		for (Map.Entry<String, MqttClient> entry : this.clients.asMap().entrySet()) {
			String name = entry.getKey();
			MqttClient client = entry.getValue();
			client.addConnectionListener(new EventPublishingListener(name));
			MqttClientProperties settings = settings(name);
			boolean clean = settings.isCleanSession();
			// routes before the connection delivers: a resumed session's messages come
			// right after the CONNACK
			boolean routesFirst = listeners != null && settings.isReconn();
			boolean routesAfterStart = listeners != null && !routesFirst;
			if (routesFirst) {
				listeners.subscribeListenersOf(name);
			}
			if (this.properties.isFailFast()) {
				if (routesAfterStart) {
					CompletableFuture<Void> connected = client.connectAsync(clean);
					listeners.subscribeListenersOf(name);
					await(client, connected, settings);
				}
				else {
					client.connect(clean);
				}
			}
			else {
				client.connectAsync(clean).whenComplete((ignored, failure) -> {
					if (failure != null) {
						logger.error(this.clients.mask(client,
								"MQTT client '" + name + "' (" + client.clientId() + ") could not connect to "
										+ client.server() + ":" + client.port() + ": " + rootMessage(failure)));
					}
				});
				if (routesAfterStart) {
					listeners.subscribeListenersOf(name);
				}
			}
		}
		this.running = true;
	}

	/** Waits for a fail-fast connection as {@link MqttClient#connect(boolean)} does. */
	private static void await(MqttClient client, CompletableFuture<Void> connected, MqttClientProperties settings) {
		try {
			connected.get(settings.getConnectTimeout().plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof MqttException mqtt) {
				throw mqtt;
			}
			throw new MqttException("Connecting to " + client.server() + ":" + client.port() + " failed",
					ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new MqttException("Timed out connecting to " + client.server() + ":" + client.port(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MqttException("Interrupted while connecting to " + client.server() + ":" + client.port(), ex);
		}
	}

	private MqttClientProperties settings(String name) {
		return MqttClients.PRIMARY.equals(name) ? this.properties : this.properties.getClients().get(name);
	}

	@Override
	public void stop() {
		this.running = false;
		for (MqttClient client : this.clients.asMap().values()) {
			client.disconnect(this.properties.getShutdownTimeout());
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

	/** The message of the MQTT failure itself, not of the future's wrapper around it. */
	private static String rootMessage(Throwable failure) {
		Throwable cause = (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
				? failure.getCause() : failure;
		return (cause.getMessage() != null) ? cause.getMessage() : cause.toString();
	}

	/** Publishes connection changes as events, their texts masked. */
	final class EventPublishingListener implements MqttConnectionListener {

		private final String name;

		EventPublishingListener(String name) {
			this.name = name;
		}

		@Override
		public void connected(MqttClient client, boolean sessionPresent, boolean reconnect) {
			MqttClientsLifecycle.this.events
				.publishEvent(new MqttConnectedEvent(client, this.name, sessionPresent, reconnect));
		}

		@Override
		public void connectionLost(MqttClient client, String reason) {
			MqttClientsLifecycle.this.events.publishEvent(new MqttConnectionLostEvent(client, this.name,
					MqttClientsLifecycle.this.clients.mask(client, reason)));
		}

		@Override
		public void subscriptionRefused(MqttClient client, String filter) {
			MqttClientsLifecycle.this.events.publishEvent(new MqttSubscriptionFailedEvent(client, this.name, filter,
					"refused by the broker after a reconnect"));
		}

	}

}
