package io.umqtt.core.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.umqtt.core.MqttClient;
import io.umqtt.test.MqttBroker;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes clients for a test and disconnects them all after it. Register with
 * {@code @RegisterExtension}.
 */
final class Clients implements AfterEachCallback {

	private static final AtomicInteger IDS = new AtomicInteger();

	private final List<MqttClient> made = new ArrayList<>();

	/** A unique client id starting with {@code prefix}. */
	static String id(String prefix) {
		return prefix + "-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet();
	}

	MqttClient.Builder builder(MqttBroker broker, String prefix) {
		return MqttClient.builder(id(prefix), broker.host())
			.port(broker.port())
			.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500));
	}

	MqttClient make(MqttBroker broker, String prefix) {
		return make(broker, prefix, UnaryOperator.identity());
	}

	MqttClient make(MqttBroker broker, String prefix, UnaryOperator<MqttClient.Builder> customizer) {
		return track(customizer.apply(builder(broker, prefix)).build());
	}

	synchronized MqttClient track(MqttClient client) {
		this.made.add(client);
		return client;
	}

	@Override
	public void afterEach(ExtensionContext context) {
		List<MqttClient> clients;
		synchronized (this) {
			clients = new ArrayList<>(this.made);
			this.made.clear();
		}
		clients.forEach(MqttClient::disconnect);
	}

}
