package io.umqtt.spring.boot.testcontainers;

import java.time.Duration;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.boot.autoconfigure.UmqttAutoConfiguration;
import io.umqtt.spring.boot.autoconfigure.UmqttConnectionDetails;
import io.umqtt.test.ContainerBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code @ServiceConnection} Mosquitto container gives the client its address. Runs
 * only where a Docker engine is reachable; skipped, saying so, elsewhere.
 */
@EnabledIf(value = "dockerAvailable", disabledReason = "needs a Docker engine for Testcontainers")
class MqttContainerConnectionDetailsFactoryIntegrationTests {

	static boolean dockerAvailable() {
		return ContainerBroker.isDockerAvailable();
	}

	@Test
	void serviceConnectionPointsTheClientAtTheContainer() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ServiceConnectionAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withUserConfiguration(Containers.class)
			.withPropertyValues("umqtt.embedded.enabled=false")
			.run((context) -> {
				assertThat(context.getBean(UmqttConnectionDetails.class))
					.isInstanceOf(MqttContainerConnectionDetailsFactory.MqttContainerConnectionDetails.class);
				MqttClient client = context.getBean(MqttClient.class);
				await().atMost(Duration.ofSeconds(60)).until(() -> client.getMqttsta() == 0);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Containers {

		@Bean
		@ServiceConnection
		GenericContainer<?> mosquitto() {
			return new GenericContainer<>(DockerImageName.parse(ContainerBroker.DEFAULT_IMAGE)).withExposedPorts(1883)
				.withCommand("mosquitto", "-c", "/mosquitto-no-auth.conf");
		}

	}

}
