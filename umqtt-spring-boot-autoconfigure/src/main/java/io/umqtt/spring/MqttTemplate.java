package io.umqtt.spring;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttClient;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.core.AbstractMessageSendingTemplate;

/**
 * Publishes through one {@link MqttClient} the spring-messaging way: the destination is
 * the topic, payloads go through the {@link MessageConverter} ({@code byte[]} and
 * {@code String} as they are, other objects to JSON when Jackson is present), and the
 * {@link MqttHeaders#QOS} and {@link MqttHeaders#RETAINED} headers set QoS and retain.
 * <p>
 * {@code send}/{@code convertAndSend} wait as {@link MqttClient#publish} does and throw
 * {@link MessageDeliveryException} when the message is not confirmed; {@link #publish}
 * does not wait.
 */
public class MqttTemplate extends AbstractMessageSendingTemplate<String> {

	private final MqttClient client;

	private int defaultQos;

	private io.micrometer.observation.ObservationRegistry observations = io.micrometer.observation.ObservationRegistry.NOOP;

	private String clientName = MqttClients.PRIMARY;

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
	 * Observes every publish as {@code umqtt.publish} (see
	 * {@link io.umqtt.spring.observation.MqttObservations}); no-op by default.
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
		io.micrometer.observation.Observation observation = io.umqtt.spring.observation.MqttObservations
			.publish(this.observations, this.clientName, qos, topic)
			.start();
		CompletableFuture<Void> result;
		try {
			result = this.client.publishAsync(topic, toBytes(payload), retain, qos);
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
		io.micrometer.observation.Observation observation = io.umqtt.spring.observation.MqttObservations
			.publish(this.observations, this.clientName, qos, topic)
			.start();
		try {
			if (!this.client.publish(topic, bytes(message.getPayload()), retain, qos)) {
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

	private byte[] toBytes(Object payload) {
		if (payload instanceof byte[] || payload instanceof String) {
			return bytes(payload);
		}
		Map<String, Object> headers = new HashMap<>();
		Message<?> message = getMessageConverter().toMessage(payload, new MessageHeaders(headers));
		if (message == null) {
			throw new MessageConversionException("No converter for a payload of type " + payload.getClass().getName());
		}
		return bytes(message.getPayload());
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
