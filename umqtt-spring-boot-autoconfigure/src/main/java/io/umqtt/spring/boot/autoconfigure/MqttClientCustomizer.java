package io.umqtt.spring.boot.autoconfigure;

import io.umqtt.core.MqttClient;

/**
 * Changes a client's builder after the properties have been applied and before the client
 * is built. Customizer beans are applied in their {@code @Order}.
 */
@FunctionalInterface
public interface MqttClientCustomizer {

	/**
	 * Customizes one client's builder before the client is built.
	 * @param name the client's name ({@code default} for the primary one)
	 * @param builder its builder
	 */
	void customize(String name, MqttClient.Builder builder);

}
