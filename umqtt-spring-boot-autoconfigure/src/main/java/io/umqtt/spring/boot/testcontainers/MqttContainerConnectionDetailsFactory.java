package io.umqtt.spring.boot.testcontainers;

import java.util.List;

import io.umqtt.spring.boot.autoconfigure.UmqttConnectionDetails;
import org.testcontainers.containers.GenericContainer;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * {@link UmqttConnectionDetails} for a {@code @ServiceConnection} container running
 * {@code eclipse-mosquitto} or {@code hivemq/hivemq-ce} (including Testcontainers'
 * {@code HiveMQContainer}): its host and mapped port 1883.
 */
class MqttContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<GenericContainer<?>, UmqttConnectionDetails> {

	static final int MQTT_PORT = 1883;

	MqttContainerConnectionDetailsFactory() {
		super(List.of("eclipse-mosquitto", "hivemq/hivemq-ce"));
	}

	@Override
	protected UmqttConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<GenericContainer<?>> source) {
		return new MqttContainerConnectionDetails(source);
	}

	/** Reads the container's address only when asked, once it runs. */
	static final class MqttContainerConnectionDetails extends ContainerConnectionDetails<GenericContainer<?>>
			implements UmqttConnectionDetails {

		MqttContainerConnectionDetails(ContainerConnectionSource<GenericContainer<?>> source) {
			super(source);
		}

		@Override
		public String getServer() {
			return getContainer().getHost();
		}

		@Override
		public int getPort() {
			return getContainer().getMappedPort(MQTT_PORT);
		}

	}

}
