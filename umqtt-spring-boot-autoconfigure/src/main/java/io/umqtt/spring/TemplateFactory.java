package io.umqtt.spring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.observation.ObservationRegistry;
import io.umqtt.core.MqttClient;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.converter.MessageConverter;

/**
 * One {@link MqttTemplate} per configured client, made the first time it is asked for and
 * kept: the template beans and the {@code @SendTo} replies of listeners use the same
 * ones.
 */
public final class TemplateFactory {

	private final MqttClients clients;

	private final MessageConverter converter;

	private final Map<String, MqttTemplate> templates = new ConcurrentHashMap<>();

	private final ObservationRegistry observations;

	private MqttHeaderMapper headerMapper = new DefaultMqttHeaderMapper();

	/**
	 * Creates a new {@code TemplateFactory}.
	 * @param clients the configured clients
	 * @param converter the converter of every template
	 * @param observations where template publishes are observed
	 */
	public TemplateFactory(MqttClients clients, MessageConverter converter, ObservationRegistry observations) {
		this.clients = clients;
		this.converter = converter;
		this.observations = observations;
	}

	private java.time.Duration replyTimeout = MqttTemplate.DEFAULT_REPLY_TIMEOUT;

	/** How long the templates wait for a reply in {@code sendAndReceive}. */
	public void setReplyTimeout(java.time.Duration replyTimeout) {
		this.replyTimeout = replyTimeout;
	}

	/** How the templates map headers to MQTT 5 properties. */
	public void setHeaderMapper(MqttHeaderMapper headerMapper) {
		this.headerMapper = headerMapper;
	}

	/**
	 * The template of the client called {@code name}.
	 * @param name a client name; empty or {@code null} for the primary
	 * @return the template
	 */
	public MqttTemplate get(@Nullable String name) {
		String key = (name == null || name.isEmpty()) ? MqttClients.PRIMARY : name;
		return this.templates.computeIfAbsent(key, (k) -> {
			MqttTemplate template = new MqttTemplate(this.clients.get(k), this.converter);
			template.setObservationRegistry(this.observations, k);
			MqttClient client = template.getClient();
			Integer version = this.clients.version(client);
			if (version != null) {
				template.setMqttVersion(version);
			}
			template.setHeaderMapper(this.headerMapper);
			template.setReplyTimeout(this.replyTimeout);
			return template;
		});
	}

}
