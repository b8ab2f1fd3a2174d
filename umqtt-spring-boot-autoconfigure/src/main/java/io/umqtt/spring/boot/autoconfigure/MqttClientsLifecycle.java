package io.umqtt.spring.boot.autoconfigure;

import java.util.Map;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttConnectionListener;
import io.umqtt.spring.MqttClients;
import io.umqtt.spring.event.MqttConnectedEvent;
import io.umqtt.spring.event.MqttConnectionLostEvent;
import io.umqtt.spring.event.MqttSubscriptionFailedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Connects the configured clients when the context starts and disconnects them when it stops.
 * By default each client connects in the background and keeps trying, so the application starts
 * while the broker is down (health shows the client connecting); with {@code umqtt.fail-fast}
 * the start fails instead. On stop, in-flight QoS 1 and 2 messages get up to
 * {@code umqtt.shutdown-timeout} to be acknowledged, then the client sends DISCONNECT; stop
 * never waits longer than that per client, even when the broker never answered.
 * <p>
 * Connection changes are published as {@link MqttConnectedEvent}, {@link MqttConnectionLostEvent}
 * and {@link MqttSubscriptionFailedEvent}.
 */
class MqttClientsLifecycle implements SmartLifecycle {

	/** Clients start before the listener registry subscribes, and stop after it. */
	static final int PHASE = Integer.MAX_VALUE - 2048;

	private static final Log logger = LogFactory.getLog(MqttClientsLifecycle.class);

	private final MqttClients clients;

	private final UmqttProperties properties;

	private final ApplicationEventPublisher events;

	private volatile boolean running;

	MqttClientsLifecycle(MqttClients clients, UmqttProperties properties, ApplicationEventPublisher events) {
		this.clients = clients;
		this.properties = properties;
		this.events = events;
	}

	@Override
	public void start() {
		for (Map.Entry<String, MqttClient> entry : this.clients.asMap().entrySet()) {
			String name = entry.getKey();
			MqttClient client = entry.getValue();
			client.addConnectionListener(new EventPublishingListener(name));
			boolean clean = settings(name).isCleanSession();
			if (this.properties.isFailFast()) {
				client.connect(clean);
			}
			else {
				client.connectAsync(clean).whenComplete((ignored, failure) -> {
					if (failure != null) {
						logger.error("MQTT client '" + name + "' (" + client.clientId() + ") could not connect to "
								+ client.server() + ":" + client.port() + ": " + rootMessage(failure));
					}
				});
			}
		}
		this.running = true;
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

	private final class EventPublishingListener implements MqttConnectionListener {

		private final String name;

		EventPublishingListener(String name) {
			this.name = name;
		}

		@Override
		public void connected(MqttClient client, boolean sessionPresent, boolean reconnect) {
			MqttClientsLifecycle.this.events.publishEvent(new MqttConnectedEvent(client, this.name, sessionPresent,
					reconnect));
		}

		@Override
		public void connectionLost(MqttClient client, String reason) {
			MqttClientsLifecycle.this.events.publishEvent(new MqttConnectionLostEvent(client, this.name, reason));
		}

		@Override
		public void subscriptionRefused(MqttClient client, String filter) {
			MqttClientsLifecycle.this.events.publishEvent(new MqttSubscriptionFailedEvent(client, this.name, filter,
					"refused by the broker after a reconnect"));
		}

	}

}
