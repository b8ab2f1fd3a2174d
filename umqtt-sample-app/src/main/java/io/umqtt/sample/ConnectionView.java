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
 * @param version the MQTT protocol level the connection speaks ({@code umqtt.version}):
 * 3, 4 or 5
 * @param protocol that version by its name: {@code 3.1}, {@code 3.1.1} or {@code 5.0}
 * @param embeddedBroker whether the broker is the embedded one (Moquette, which speaks
 * MQTT 3.1 and 3.1.1 only)
 */
public record ConnectionView(int mqttsta, String health, String state, String clientId, String server, long reconnects,
		String lastError, int version, String protocol, boolean embeddedBroker) {

	/**
	 * The connection of {@code client} now.
	 * @param client the application's client
	 * @param version its MQTT version
	 * @param embeddedBroker whether it is connected to the embedded broker
	 * @return the view
	 */
	public static ConnectionView of(MqttClient client, int version, boolean embeddedBroker) {
		MqttStatus status = client.status();
		String health = new MqttHealthIndicator(client).health().getStatus().getCode();
		String state = switch (status) {
			case CONNECTED -> "connected";
			case CONNECTING -> client.hasBeenConnected() ? "reconnecting" : "connecting";
			case SERVER_CLOSED -> "server closed";
			case ERROR -> "error";
		};
		String protocol = switch (version) {
			case 3 -> "3.1";
			case 5 -> "5.0";
			default -> "3.1.1";
		};
		return new ConnectionView(status.code(), health, state, client.clientId(),
				client.server() + ":" + client.port(), client.reconnectCount(), client.lastError(), version, protocol,
				embeddedBroker);
	}

}
