package io.umqtt.spring.boot.health;

import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttStatus;
import io.umqtt.spring.ErrorTextMask;
import io.umqtt.spring.MqttClients;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of one client from {@link MqttClient#getMqttsta()}: 0 is UP; 1 (connecting) is
 * UNKNOWN while the first connection is being made, and DOWN while reconnecting after a
 * connection was lost (the broker went away: operators need to see that); 2 and -1 are
 * DOWN. Details: {@code mqttsta}, {@code clientId}, {@code server}, {@code lastError}
 * (its password and any URI user information masked), {@code reconnects},
 * {@code inflight}, {@code pending}, the number of granted {@code subscriptions} and of
 * {@code refusedSubscriptions}; {@code version} (3, 4 or 5) when known, and on MQTT 5
 * {@code assignedClientId} when the server assigned the client its identifier, and
 * {@code lastDisconnect}, the reason of the server's last DISCONNECT (name and code, e.g.
 * {@code Server busy (0x89)}; the reason string is left out). The topic filters
 * themselves often carry tenant or device ids: they are listed
 * ({@code subscriptionFilters}, {@code refusedSubscriptionFilters}) only when
 * {@code showSubscriptions} is on ({@code management.health.mqtt.show-subscriptions}).
 */
public class MqttHealthIndicator extends AbstractHealthIndicator {

	private final MqttClient client;

	private final boolean showSubscriptions;

	private final @Nullable IntSupplier listenerInFlight;

	private final UnaryOperator<@Nullable String> errorTextMask;

	private final @Nullable Integer version;

	/** An indicator that reports subscription counts, not the topic filters. */
	public MqttHealthIndicator(MqttClient client) {
		this(client, false);
	}

	/**
	 * Creates a new {@code MqttHealthIndicator}.
	 * @param client the client
	 * @param showSubscriptions whether the details list the topic filters, not only their
	 * number
	 */
	public MqttHealthIndicator(MqttClient client, boolean showSubscriptions) {
		this(client, showSubscriptions, null);
	}

	/**
	 * Creates a new {@code MqttHealthIndicator}.
	 * @param client the client
	 * @param showSubscriptions whether the details list the topic filters, not only their
	 * number
	 * @param listenerInFlight the messages the client's listeners hold, reported as
	 * {@code listenerInFlight}; {@code null} leaves the detail out
	 */
	public MqttHealthIndicator(MqttClient client, boolean showSubscriptions, @Nullable IntSupplier listenerInFlight) {
		this(client, showSubscriptions, listenerInFlight, ErrorTextMask.of(null)::apply);
	}

	/**
	 * Creates a new {@code MqttHealthIndicator}.
	 * @param client the client
	 * @param showSubscriptions whether the details list the topic filters, not only their
	 * number
	 * @param listenerInFlight the messages the client's listeners hold, reported as
	 * {@code listenerInFlight}; {@code null} leaves the detail out
	 * @param errorTextMask hides credentials in {@code lastError} (see
	 * {@link MqttClients#mask})
	 */
	public MqttHealthIndicator(MqttClient client, boolean showSubscriptions, @Nullable IntSupplier listenerInFlight,
			UnaryOperator<@Nullable String> errorTextMask) {
		this(client, showSubscriptions, listenerInFlight, errorTextMask, null);
	}

	/**
	 * Creates a new {@code MqttHealthIndicator}.
	 * @param client the client
	 * @param showSubscriptions whether the details list the topic filters, not only their
	 * number
	 * @param listenerInFlight the messages the client's listeners hold, reported as
	 * {@code listenerInFlight}; {@code null} leaves the detail out
	 * @param errorTextMask hides credentials in {@code lastError} (see
	 * {@link MqttClients#mask})
	 * @param version the MQTT version the client was configured with (see
	 * {@link MqttClients#version}), reported as {@code version}; {@code null} leaves the
	 * detail out
	 */
	public MqttHealthIndicator(MqttClient client, boolean showSubscriptions, @Nullable IntSupplier listenerInFlight,
			UnaryOperator<@Nullable String> errorTextMask, @Nullable Integer version) {
		super("MQTT health check failed");
		this.client = client;
		this.showSubscriptions = showSubscriptions;
		this.listenerInFlight = listenerInFlight;
		this.errorTextMask = errorTextMask;
		this.version = version;
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
		if (this.version != null) {
			builder.withDetail("version", this.version);
		}
		@Nullable String assignedClientId = this.client.assignedClientId();
		if (assignedClientId != null) {
			builder.withDetail("assignedClientId", assignedClientId);
		}
		@Nullable String lastDisconnect = this.client.lastDisconnect();
		if (lastDisconnect != null) {
			builder.withDetail("lastDisconnect", lastDisconnect);
		}
		if (this.listenerInFlight != null) {
			builder.withDetail("listenerInFlight", this.listenerInFlight.getAsInt());
		}
		@Nullable String lastError = this.errorTextMask.apply(this.client.lastError());
		if (lastError != null) {
			builder.withDetail("lastError", lastError);
		}
		if (status == MqttStatus.CONNECTED) {
			Map<String, Integer> granted = this.client.subscriptions();
			builder.withDetail("inflight", this.client.inflightCount()).withDetail("subscriptions", granted.size());
			if (this.showSubscriptions) {
				builder.withDetail("subscriptionFilters", granted);
			}
		}
		Set<String> refused = this.client.refusedSubscriptions();
		if (!refused.isEmpty()) {
			builder.withDetail("refusedSubscriptions", refused.size());
			if (this.showSubscriptions) {
				builder.withDetail("refusedSubscriptionFilters", refused);
			}
		}
	}

}
