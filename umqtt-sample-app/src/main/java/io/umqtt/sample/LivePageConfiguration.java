package io.umqtt.sample;

import java.time.Clock;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.boot.autoconfigure.embedded.EmbeddedMqttBroker;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the live page is fed from: the connection, the telemetry history, the commands
 * sent, and the event stream.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LivePageProperties.class)
class LivePageConfiguration {

	@Bean
	SampleConnection sampleConnection(MqttClient client, MqttTemplate template,
			ObjectProvider<EmbeddedMqttBroker> embedded) {
		return new SampleConnection(client, template.getMqttVersion(), embedded.getIfAvailable() != null);
	}

	@Bean
	TelemetryHistory telemetryHistory(LivePageProperties properties) {
		return new TelemetryHistory(properties.getHistory(), Clock.systemUTC());
	}

	@Bean
	DeviceCommands deviceCommands(MqttTemplate template) {
		return new DeviceCommands(template, Clock.systemUTC());
	}

	@Bean
	LiveFeed liveFeed(TelemetryHistory history, DeviceRegistry registry, DeviceCommands commands,
			SampleConnection connection) {
		return new LiveFeed(history, registry, commands, connection);
	}

}
