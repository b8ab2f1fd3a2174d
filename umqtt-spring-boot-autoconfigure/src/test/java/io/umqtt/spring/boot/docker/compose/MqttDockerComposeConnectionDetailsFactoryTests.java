package io.umqtt.spring.boot.docker.compose;

import java.util.List;
import java.util.Map;

import io.umqtt.spring.boot.autoconfigure.UmqttConnectionDetails;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class MqttDockerComposeConnectionDetailsFactoryTests {

	@Test
	void registeredWhereSpringBootLooksForServiceConnections() {
		List<ConnectionDetailsFactory> factories = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(ConnectionDetailsFactory.class);
		assertThat(factories).hasAtLeastOneElementOfType(MqttDockerComposeConnectionDetailsFactory.class);
		assertThat(factories.stream().map((factory) -> factory.getClass().getName()))
			.contains("io.umqtt.spring.boot.testcontainers.MqttContainerConnectionDetailsFactory");
	}

	@Test
	void connectsToTheHostAndThePortMappedToMqtt() {
		RunningService service = new RunningService() {

			@Override
			public String name() {
				return "broker";
			}

			@Override
			public ImageReference image() {
				return ImageReference.of("eclipse-mosquitto:2.0.20");
			}

			@Override
			public String host() {
				return "127.0.0.1";
			}

			@Override
			public ConnectionPorts ports() {
				return new ConnectionPorts() {

					@Override
					public int get(int containerPort) {
						return (containerPort == 1883) ? 49_153 : -1;
					}

					@Override
					public List<Integer> getAll() {
						return List.of(49_153);
					}

					@Override
					public List<Integer> getAll(String protocol) {
						return List.of(49_153);
					}

				};
			}

			@Override
			public Map<String, String> env() {
				return Map.of();
			}

			@Override
			public Map<String, String> labels() {
				return Map.of();
			}

		};
		UmqttConnectionDetails details = MqttDockerComposeConnectionDetailsFactory.connectionDetails(service);
		assertThat(details.getServer()).isEqualTo("127.0.0.1");
		assertThat(details.getPort()).isEqualTo(49_153);
		assertThat(details.getUser()).isNull();
	}

}
