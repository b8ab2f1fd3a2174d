package io.umqtt.sample;

import java.time.Clock;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttTemplate;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the live page is fed from: the telemetry history, the commands sent, and the event
 * stream.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LivePageProperties.class)
class LivePageConfiguration {

	@Bean
	TelemetryHistory telemetryHistory(LivePageProperties properties) {
		return new TelemetryHistory(properties.getHistory(), Clock.systemUTC());
	}

	@Bean
	DeviceCommands deviceCommands(MqttTemplate template) {
		return new DeviceCommands(template, Clock.systemUTC());
	}

	@Bean
	LiveFeed liveFeed(TelemetryHistory history, DeviceRegistry registry, DeviceCommands commands, MqttClient client) {
		return new LiveFeed(history, registry, commands, client);
	}

}
