package io.umqtt.sample;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttStatus;
import io.umqtt.spring.boot.health.MqttHealthIndicator;

/**
 * The application's MQTT connection at a glance, as the live page shows it.
 *
 * @param mqttsta the client's {@code getMqttsta()}: 0, 1, 2 or -1
 * @param health what {@code /actuator/health/mqtt} says: {@code UP}, {@code UNKNOWN} or
 * {@code DOWN}
 * @param state in words: {@code connected}, {@code connecting} (the first time),
 * {@code reconnecting} (after a connection was lost), {@code server closed} or
 * {@code error}
 * @param clientId the client id
 * @param server the broker's host and port
 * @param reconnects how many times internal reconnection succeeded
 * @param lastError the last connection error, or {@code null}
 */
public record ConnectionView(int mqttsta, String health, String state, String clientId, String server, long reconnects,
		String lastError) {

	/** The connection of {@code client} now. */
	public static ConnectionView of(MqttClient client) {
		MqttStatus status = client.status();
		String health = new MqttHealthIndicator(client).health().getStatus().getCode();
		String state = switch (status) {
			case CONNECTED -> "connected";
			case CONNECTING -> client.hasBeenConnected() ? "reconnecting" : "connecting";
			case SERVER_CLOSED -> "server closed";
			case ERROR -> "error";
		};
		return new ConnectionView(status.code(), health, state, client.clientId(),
				client.server() + ":" + client.port(), client.reconnectCount(), client.lastError());
	}

}
