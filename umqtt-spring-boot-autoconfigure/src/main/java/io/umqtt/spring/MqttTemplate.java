package io.umqtt.spring;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.core.AbstractMessagingTemplate;

/**
 * Publishes through one {@link MqttClient} the spring-messaging way: the destination is
 * the topic, payloads go through the {@link MessageConverter} ({@code byte[]} and
 * {@code String} as they are, other objects to JSON when Jackson is present), and the
 * {@link MqttHeaders#QOS} and {@link MqttHeaders#RETAINED} headers set QoS and retain. On
 * MQTT 5 ({@link #setMqttVersion}) the {@link MqttHeaderMapper} makes the other headers
 * the message's properties, the converter's {@code contentType} included; with a tracer
 * the {@code umqtt.publish} observation adds the trace context as user properties.
 * <p>
 * {@code send}/{@code convertAndSend} wait as {@link MqttClient#publish} does and throw
 * {@link MessageDeliveryException} when the message is not confirmed; {@link #publish}
 * does not wait.
 * <p>
 * On MQTT 5, {@code sendAndReceive} and {@code convertSendAndReceive} publish a request
 * with the client's response topic and a correlation data of its own
 * ({@link MqttClient#request}) and return the reply, or {@code null} when none came
 * within the {@link #setReplyTimeout reply timeout}; on 3.1 and 3.1.1 they throw
 * {@link IllegalStateException}. MQTT has no pull: {@code receive} throws
 * {@link UnsupportedOperationException}.
 */
public class MqttTemplate extends AbstractMessagingTemplate<String> {

	/** The reply timeout of a template unless set: 5 seconds. */
	public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(MqttTemplate.class);

	private final MqttClient client;

	private int defaultQos;

	private io.micrometer.observation.ObservationRegistry observations = io.micrometer.observation.ObservationRegistry.NOOP;

	private String clientName = MqttClients.PRIMARY;

	private int mqttVersion = 4;

	private MqttHeaderMapper headerMapper = new DefaultMqttHeaderMapper();

	private Duration replyTimeout = DEFAULT_REPLY_TIMEOUT;

	/**
	 * Creates a new {@code MqttTemplate}.
	 * @param client the client to publish with
	 * @param converter how payloads become bytes
	 */
	public MqttTemplate(MqttClient client, MessageConverter converter) {
		this.client = client;
		setMessageConverter(converter);
	}

	/** The client this template publishes with. */
	public MqttClient getClient() {
		return this.client;
	}

	/** QoS for messages sent without a {@link MqttHeaders#QOS} header; 0 by default. */
	public void setDefaultQos(int defaultQos) {
		io.umqtt.core.packet.QoS.check(defaultQos);
		this.defaultQos = defaultQos;
	}

	public int getDefaultQos() {
		return this.defaultQos;
	}

	/**
	 * The MQTT version of the client: on 5 the message headers are published as
	 * properties by the {@link #setHeaderMapper header mapper}; on 3 and 4 (the default
	 * for a template made with its constructor) they are ignored, logged at DEBUG level,
	 * since a 3.1.1 message has no properties. The auto-configured templates take it from
	 * {@code umqtt.version}.
	 * @param mqttVersion 3, 4 or 5
	 */
	public void setMqttVersion(int mqttVersion) {
		if (mqttVersion < 3 || mqttVersion > 5) {
			throw new IllegalArgumentException("MQTT version must be 3, 4 or 5, was " + mqttVersion);
		}
		this.mqttVersion = mqttVersion;
	}

	public int getMqttVersion() {
		return this.mqttVersion;
	}

	/**
	 * How message headers become MQTT 5 properties; a {@link DefaultMqttHeaderMapper} by
	 * default.
	 */
	public void setHeaderMapper(MqttHeaderMapper headerMapper) {
		this.headerMapper = headerMapper;
	}

	public MqttHeaderMapper getHeaderMapper() {
		return this.headerMapper;
	}

	/**
	 * How long {@code sendAndReceive} waits for the reply before it returns {@code null};
	 * {@link #DEFAULT_REPLY_TIMEOUT} unless set ({@code umqtt.template.reply-timeout}).
	 */
	public void setReplyTimeout(Duration replyTimeout) {
		if (replyTimeout.isNegative() || replyTimeout.isZero()) {
			throw new IllegalArgumentException("The reply timeout must be positive: " + replyTimeout);
		}
		this.replyTimeout = replyTimeout;
	}

	public Duration getReplyTimeout() {
		return this.replyTimeout;
	}

	/**
	 * Observes every publish as {@code umqtt.publish} and every request as
	 * {@code umqtt.request} (see {@link io.umqtt.spring.observation.MqttObservations});
	 * no-op by default.
	 * @param observations the registry
	 * @param clientName the client's configured name, for the {@code umqtt.client} key
	 */
	public void setObservationRegistry(io.micrometer.observation.ObservationRegistry observations, String clientName) {
		this.observations = observations;
		this.clientName = clientName;
	}

	/**
	 * Publishes {@code payload} without waiting for the broker.
	 * @param topic the topic
	 * @param payload the payload, converted as {@code convertAndSend} does
	 * @param qos 0, 1 or 2
	 * @param retain whether the broker retains it
	 * @return completes when written (QoS 0), at PUBACK (QoS 1) or PUBCOMP (QoS 2)
	 */
	public CompletableFuture<Void> publish(String topic, Object payload, int qos, boolean retain) {
		// byte[] and String go as they are, without a message and its headers
		Message<?> message = converted(payload);
		Object body = (message != null) ? message.getPayload() : payload;
		MqttProperties.Builder properties = propertiesBuilder(topic, (message != null) ? message.getHeaders() : null);
		io.micrometer.observation.Observation observation = io.umqtt.spring.observation.MqttObservations
			.publish(this.observations, this.clientName, qos, topic, properties)
			.start();
		CompletableFuture<Void> result;
		try {
			byte[] bytes = bytes(body);
			result = (properties != null)
					? this.client.publishAsync(topic, bytes, retain, qos, built(topic, properties))
					: this.client.publishAsync(topic, bytes, retain, qos);
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			observation.stop();
			throw ex;
		}
		return result.whenComplete((ignored, failure) -> {
			if (failure != null) {
				observation.error(failure);
			}
			observation.stop();
		});
	}

	@Override
	protected void doSend(String topic, Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		int qos = (headers.get(MqttHeaders.QOS) instanceof Number number) ? number.intValue() : this.defaultQos;
		boolean retain = Boolean.TRUE.equals(headers.get(MqttHeaders.RETAINED));
		MqttProperties.Builder properties = propertiesBuilder(topic, headers);
		io.micrometer.observation.Observation observation = io.umqtt.spring.observation.MqttObservations
			.publish(this.observations, this.clientName, qos, topic, properties)
			.start();
		try {
			byte[] bytes = bytes(message.getPayload());
			boolean confirmed = (properties != null)
					? this.client.publish(topic, bytes, retain, qos, built(topic, properties))
					: this.client.publish(topic, bytes, retain, qos);
			if (!confirmed) {
				throw new MessageDeliveryException(message, "Publish to '" + topic + "' with QoS " + qos
						+ " was not confirmed (see the log of " + this.client.clientId() + ")");
			}
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	@Override
	protected @Nullable Message<?> doSendAndReceive(String topic, Message<?> request) {
		MessageHeaders headers = request.getHeaders();
		int qos = (headers.get(MqttHeaders.QOS) instanceof Number number) ? number.intValue() : this.defaultQos;
		MqttProperties.Builder properties = (this.mqttVersion == 5) ? this.headerMapper.fromHeaders(headers)
				: MqttProperties.builder();
		io.micrometer.observation.Observation observation = io.umqtt.spring.observation.MqttObservations
			.request(this.observations, this.clientName, qos, topic, properties)
			.start();
		try {
			Message<?> reply = MqttReplies.sendAndReceive(this.client, this.mqttVersion, topic, request,
					bytes(request.getPayload()), qos, built(topic, properties), this.replyTimeout);
			observation.lowCardinalityKeyValue("umqtt.reply", (reply != null) ? "received" : "none");
			return reply;
		}
		catch (RuntimeException ex) {
			observation.lowCardinalityKeyValue("umqtt.reply", "none");
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/**
	 * MQTT has no pull: a message is received by subscribing ({@code @MqttSubscribe}).
	 */
	@Override
	protected @Nullable Message<?> doReceive(String topic) {
		throw new UnsupportedOperationException(
				"MQTT has no pull receive; subscribe to '" + topic + "' with @MqttSubscribe instead");
	}

	/**
	 * The builder of the message's MQTT 5 properties, or {@code null} when the client is
	 * not on 5: then the MQTT 5 headers are ignored, at DEBUG level.
	 */
	private MqttProperties.@Nullable Builder propertiesBuilder(String topic, @Nullable MessageHeaders headers) {
		if (this.mqttVersion == 5) {
			return (headers != null) ? this.headerMapper.fromHeaders(headers) : MqttProperties.builder();
		}
		if (headers != null && logger.isDebugEnabled()) {
			MqttProperties ignored = this.headerMapper.fromHeaders(headers).build();
			if (!ignored.isEmpty()) {
				logger.debug("Publish to '" + topic + "' on MQTT " + this.mqttVersion + " (" + this.client.clientId()
						+ ") goes without its MQTT 5 headers: " + ignored);
			}
		}
		return null;
	}

	private MqttProperties built(String topic, MqttProperties.Builder properties) {
		MqttProperties built = properties.build();
		if (logger.isTraceEnabled()) {
			logger.trace("Publish to '" + topic + "' with " + built);
		}
		return built;
	}

	private @Nullable Message<?> converted(Object payload) {
		if (payload instanceof byte[] || payload instanceof String) {
			return null;
		}
		Map<String, Object> headers = new HashMap<>();
		Message<?> message = getMessageConverter().toMessage(payload, new MessageHeaders(headers));
		if (message == null) {
			throw new MessageConversionException("No converter for a payload of type " + payload.getClass().getName());
		}
		return message;
	}

	private static byte[] bytes(Object payload) {
		if (payload instanceof byte[] bytes) {
			return bytes;
		}
		if (payload instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		throw new MessageConversionException(
				"MQTT payloads are bytes; the converter produced a " + payload.getClass().getName());
	}

	@Override
	public String toString() {
		return "MqttTemplate[" + this.client.clientId() + "]";
	}

}
