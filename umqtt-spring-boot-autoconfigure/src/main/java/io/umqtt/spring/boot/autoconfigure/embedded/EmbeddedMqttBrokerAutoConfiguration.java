package io.umqtt.spring.boot.autoconfigure.embedded;

import io.umqtt.spring.boot.autoconfigure.UmqttAutoConfiguration;
import io.umqtt.spring.boot.autoconfigure.UmqttConnectionDetails;
import io.umqtt.spring.boot.autoconfigure.UmqttProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The embedded Moquette broker, when Moquette is on the class path, {@code umqtt.server}
 * is not set, {@code umqtt.embedded.enabled} is not false and neither the application nor
 * a service connection gave {@link UmqttConnectionDetails}: it starts the broker and
 * gives the clients its address as their connection details. Runs before
 * {@link UmqttAutoConfiguration}, whose property-based connection details then back off.
 */
@AutoConfiguration(before = UmqttAutoConfiguration.class,
		afterName = "org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration")
@ConditionalOnClass(name = "io.moquette.broker.Server")
@ConditionalOnProperty(prefix = "umqtt.embedded", name = "enabled", matchIfMissing = true)
@Conditional(OnNoServerConfiguredCondition.class)
@ConditionalOnMissingBean(UmqttConnectionDetails.class)
@EnableConfigurationProperties(UmqttProperties.class)
public final class EmbeddedMqttBrokerAutoConfiguration {

	@Bean(initMethod = "start", destroyMethod = "stop")
	@ConditionalOnMissingBean
	EmbeddedMqttBroker embeddedMqttBroker(UmqttProperties properties) {
		return new EmbeddedMqttBroker(properties.getEmbedded().getPort());
	}

	@Bean
	UmqttConnectionDetails umqttConnectionDetails(EmbeddedMqttBroker broker) {
		return new UmqttConnectionDetails() {

			@Override
			public String getServer() {
				return broker.getHost();
			}

			@Override
			public int getPort() {
				return broker.getPort();
			}

		};
	}

}
