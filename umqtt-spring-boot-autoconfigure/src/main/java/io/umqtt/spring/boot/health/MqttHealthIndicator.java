package io.umqtt.spring.boot.health;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of one client from {@link MqttClient#getMqttsta()}: 0 is UP; 1 (connecting) is UNKNOWN
 * while the first connection is being made, and DOWN while reconnecting after a connection was
 * lost (the broker went away: operators need to see that); 2 and -1 are DOWN. Details: {@code mqttsta}, {@code clientId}, {@code server}, {@code lastError},
 * {@code reconnects}, {@code inflight}, {@code pending}, the granted {@code subscriptions} and
 * the {@code refusedSubscriptions}.
 * Never a password.
 */
public class MqttHealthIndicator extends AbstractHealthIndicator {

	private final MqttClient client;

	public MqttHealthIndicator(MqttClient client) {
		super("MQTT health check failed");
		this.client = client;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		MqttStatus status = this.client.status();
		switch (status) {
			case CONNECTED -> builder.up();
			case CONNECTING -> {
				if (this.client.hasBeenConnected()) {
					builder.down();
				}
				else {
					builder.unknown();
				}
			}
			default -> builder.down();
		}
		builder.withDetail("mqttsta", status.code())
			.withDetail("clientId", this.client.clientId())
			.withDetail("server", this.client.server() + ":" + this.client.port())
			.withDetail("reconnects", this.client.reconnectCount())
			.withDetail("pending", this.client.pendingMessages());
		String lastError = this.client.lastError();
		if (lastError != null) {
			builder.withDetail("lastError", lastError);
		}
		if (status == MqttStatus.CONNECTED) {
			builder.withDetail("inflight", this.client.inflightCount())
				.withDetail("subscriptions", this.client.subscriptions());
		}
		java.util.Set<String> refused = this.client.refusedSubscriptions();
		if (!refused.isEmpty()) {
			builder.withDetail("refusedSubscriptions", refused);
		}
	}

}
