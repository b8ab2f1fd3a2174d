package io.umqtt.core;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.umqtt.core.delivery.ApplicationEvents;
import io.umqtt.core.delivery.Dispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's {@link MqttConnectionListener}s, told on the event thread about connections
 * made and lost and subscriptions refused; one that fails does not keep it from the
 * others.
 */
final class ConnectionListeners implements ApplicationEvents.ConnectionNews {

	private static final Logger logger = LoggerFactory.getLogger(MqttClient.class);

	private final List<MqttConnectionListener> listeners = new CopyOnWriteArrayList<>();

	private final MqttClient client;

	/** The client's dispatcher, told of refused filters; read when one is. */
	private final Supplier<Dispatcher> dispatcher;

	ConnectionListeners(MqttClient client, Supplier<Dispatcher> dispatcher) {
		this.client = client;
		this.dispatcher = dispatcher;
	}

	void add(MqttConnectionListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	@Override
	public boolean wanted() {
		return !this.listeners.isEmpty();
	}

	@Override
	public void refused(String filter) {
		this.dispatcher.get().refusedBy(filter);
	}

	@Override
	public void connected(boolean sessionPresent, boolean reconnect) {
		each((listener) -> listener.connected(this.client, sessionPresent, reconnect));
	}

	@Override
	public void connectionLost(String reason) {
		each((listener) -> listener.connectionLost(this.client, reason));
	}

	@Override
	public void subscriptionRefused(String filter) {
		each((listener) -> listener.subscriptionRefused(this.client, filter));
	}

	private void each(Consumer<MqttConnectionListener> call) {
		for (MqttConnectionListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (Throwable ex) {
				logger.error("Connection listener of '{}' failed", this.client.clientId(), ex);
			}
		}
	}

}
