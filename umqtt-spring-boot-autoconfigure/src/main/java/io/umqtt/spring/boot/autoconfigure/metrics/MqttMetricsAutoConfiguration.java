package io.umqtt.spring.boot.autoconfigure.metrics;

import java.util.Map;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttClients;
import io.umqtt.spring.boot.autoconfigure.UmqttAutoConfiguration;
import io.umqtt.spring.boot.metrics.MicrometerMqttClientObserver;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for every configured client when a {@link MeterRegistry} is present:
 * the counters and timer of {@link MicrometerMqttClientObserver}, and per client
 * {@code umqtt.connection.state} (gauge of {@code getMqttsta()}: 0, 1, 2, -1),
 * {@code umqtt.messages.inflight} (gauge) and {@code umqtt.reconnects} (counter), tagged
 * {@code client}. Listener invocations and template publishes are timed through the
 * observation conventions of {@link io.umqtt.spring.observation.MqttObservations}.
 */
@AutoConfiguration(after = UmqttAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, MqttClients.class })
@ConditionalOnBean({ MeterRegistry.class, MqttClients.class })
public final class MqttMetricsAutoConfiguration {

	@Bean
	static MqttClientMetricsBinder mqttClientMetricsBinder(MqttClients clients, MeterRegistry registry) {
		return new MqttClientMetricsBinder(clients, registry);
	}

	/** Binds the meters once every singleton exists, before the clients start. */
	static final class MqttClientMetricsBinder implements SmartInitializingSingleton {

		private final MqttClients clients;

		private final MeterRegistry registry;

		MqttClientMetricsBinder(MqttClients clients, MeterRegistry registry) {
			this.clients = clients;
			this.registry = registry;
		}

		@Override
		public void afterSingletonsInstantiated() {
			for (Map.Entry<String, MqttClient> entry : this.clients.asMap().entrySet()) {
				String name = entry.getKey();
				MqttClient client = entry.getValue();
				Tags tags = Tags.of("client", name);
				Gauge.builder("umqtt.connection.state", client, MqttClient::getMqttsta)
					.description("getMqttsta(): 0 connected, 1 connecting, 2 server closed, -1 error or disconnected")
					.tags(tags)
					.register(this.registry);
				Gauge.builder("umqtt.messages.inflight", client, MqttClient::inflightCount)
					.description("QoS 1 and 2 messages accepted and not yet acknowledged")
					.tags(tags)
					.register(this.registry);
				FunctionCounter.builder("umqtt.reconnects", client, MqttClient::reconnectCount)
					.description("Successful internal reconnections")
					.tags(tags)
					.register(this.registry);
				client.setObserver(new MicrometerMqttClientObserver(this.registry, name));
			}
		}

	}

}
