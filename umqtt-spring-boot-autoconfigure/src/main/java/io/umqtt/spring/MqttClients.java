package io.umqtt.spring;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.umqtt.core.MqttClient;
import org.jspecify.annotations.Nullable;

/**
 * The configured clients by name. The primary client is named {@value #PRIMARY}; an empty
 * name also means it.
 */
public class MqttClients {

	/** The name of the primary client. */
	public static final String PRIMARY = "default";

	private final Map<String, MqttClient> clients;

	private final Map<String, ErrorTextMask> masks;

	private final Map<String, Integer> versions;

	/**
	 * Creates a new {@code MqttClients}.
	 * @param clients clients by name, the primary under {@value #PRIMARY}
	 */
	public MqttClients(Map<String, MqttClient> clients) {
		this(clients, Map.of());
	}

	/**
	 * Creates a new {@code MqttClients}.
	 * @param clients clients by name, the primary under {@value #PRIMARY}
	 * @param masks how each client's error texts are masked, by name; a client without
	 * one has only URI user information hidden
	 */
	public MqttClients(Map<String, MqttClient> clients, Map<String, ErrorTextMask> masks) {
		this(clients, masks, Map.of());
	}

	/**
	 * Creates a new {@code MqttClients}.
	 * @param clients clients by name, the primary under {@value #PRIMARY}
	 * @param masks how each client's error texts are masked, by name; a client without
	 * one has only URI user information hidden
	 * @param versions the MQTT version (3, 4 or 5) each client was configured with, by
	 * name
	 */
	public MqttClients(Map<String, MqttClient> clients, Map<String, ErrorTextMask> masks,
			Map<String, Integer> versions) {
		this.clients = Collections.unmodifiableMap(new LinkedHashMap<>(clients));
		this.masks = Map.copyOf(masks);
		this.versions = Map.copyOf(versions);
	}

	/**
	 * The MQTT version {@code client} was configured with: 3, 4 or 5, from
	 * {@code umqtt.version} or {@code umqtt.clients.<name>.version}.
	 * @param client one of the clients
	 * @return the version, or {@code null} when it was not given
	 */
	public @Nullable Integer version(MqttClient client) {
		return this.versions.get(nameOf(client));
	}

	/**
	 * {@code text}, an error text of {@code client}, with its password and any URI user
	 * information hidden: for what the starter logs, reports in health and publishes as
	 * events.
	 * @param client one of the clients
	 * @param text the error text, or {@code null}
	 * @return the masked text
	 */
	public @Nullable String mask(MqttClient client, @Nullable String text) {
		return this.masks.getOrDefault(nameOf(client), ErrorTextMask.of(null)).apply(text);
	}

	/**
	 * The client called {@code name}.
	 * @param name a client name; empty or {@code null} for the primary
	 * @return the client
	 * @throws IllegalArgumentException when no client has that name
	 */
	public MqttClient get(@Nullable String name) {
		String key = (name == null || name.isEmpty()) ? PRIMARY : name;
		MqttClient client = this.clients.get(key);
		if (client == null) {
			throw new IllegalArgumentException("No MQTT client named '" + key + "'; configured: "
					+ this.clients.keySet() + " (define more under umqtt.clients.<name>)");
		}
		return client;
	}

	/** The primary client. */
	public MqttClient primary() {
		return get(PRIMARY);
	}

	/** All clients by name, the primary first. */
	public Map<String, MqttClient> asMap() {
		return this.clients;
	}

	/**
	 * Disconnects every client; for the end of the context, also when it never started.
	 */
	public void disconnectAll() {
		this.clients.values().forEach(MqttClient::disconnect);
	}

	/** The name of {@code client}. */
	public String nameOf(MqttClient client) {
		for (Map.Entry<String, MqttClient> entry : this.clients.entrySet()) {
			if (entry.getValue() == client) {
				return entry.getKey();
			}
		}
		return Objects.toString(client.clientId());
	}

}
