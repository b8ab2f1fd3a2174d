package io.umqtt.spring.boot.docker.compose;

import io.umqtt.spring.boot.autoconfigure.UmqttConnectionDetails;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

/**
 * {@link UmqttConnectionDetails} for an MQTT broker started by Spring Boot's Docker
 * Compose support: the images {@code eclipse-mosquitto}, {@code hivemq/hivemq-ce} and
 * {@code emqx/emqx}, their port 1883.
 */
class MqttDockerComposeConnectionDetailsFactory extends DockerComposeConnectionDetailsFactory<UmqttConnectionDetails> {

	static final int MQTT_PORT = 1883;

	MqttDockerComposeConnectionDetailsFactory() {
		super(new String[] { "eclipse-mosquitto", "hivemq/hivemq-ce", "emqx/emqx" });
	}

	@Override
	protected UmqttConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
		return connectionDetails(source.getRunningService());
	}

	/** Where the service's MQTT port is reachable from the application. */
	static UmqttConnectionDetails connectionDetails(RunningService service) {
		String host = service.host();
		int port = service.ports().get(MQTT_PORT);
		return new UmqttConnectionDetails() {

			@Override
			public String getServer() {
				return host;
			}

			@Override
			public int getPort() {
				return port;
			}

		};
	}

}
