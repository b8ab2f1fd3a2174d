package io.umqtt.spring.boot.autoconfigure.health;

import java.util.function.Function;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttClients;
import io.umqtt.spring.boot.autoconfigure.UmqttAutoConfiguration;
import io.umqtt.spring.boot.health.MqttHealthIndicator;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code mqtt} health contributor: one indicator for a single client, a composite
 * with one component per client name when there are several. Off with
 * {@code management.health.mqtt.enabled=false}; topic filters listed with
 * {@code management.health.mqtt.show-subscriptions=true}.
 */
@AutoConfiguration(after = UmqttAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, MqttClients.class })
@ConditionalOnBean(MqttClients.class)
@ConditionalOnEnabledHealthIndicator("mqtt")
@EnableConfigurationProperties(MqttHealthProperties.class)
public final class MqttHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "mqttHealthIndicator", "mqttHealthContributor" })
	HealthContributor mqttHealthContributor(MqttClients clients, MqttHealthProperties properties,
			ObjectProvider<MqttListenerEndpointRegistry> listenerRegistry) {
		boolean show = properties.isShowSubscriptions();
		MqttListenerEndpointRegistry registry = listenerRegistry.getIfAvailable();
		Function<MqttClient, MqttHealthIndicator> indicator = (client) -> new MqttHealthIndicator(client, show,
				(registry != null) ? () -> registry.getInFlight(client) : null, (text) -> clients.mask(client, text),
				clients.version(client));
		if (clients.asMap().size() == 1) {
			return indicator.apply(clients.primary());
		}
		return CompositeHealthContributor.fromMap(clients.asMap(), indicator);
	}

}
