package io.umqtt.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A received message.
 *
 * @param topic the topic it was published to
 * @param payload the payload
 * @param qos the QoS it was delivered with
 * @param retain whether it is a retained message the broker sent on subscription
 * @param dup whether the broker marked it as a redelivery
 * @param messageId the packet identifier, 0 for QoS 0
 * @param properties its MQTT 5 properties, {@link MqttProperties#NONE} on MQTT 3.1.1 and
 * when it has none
 */
public record MqttMessage(String topic, byte[] payload, int qos, boolean retain, boolean dup, int messageId,
		MqttProperties properties) {

	public MqttMessage {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(payload, "payload");
		Objects.requireNonNull(properties, "properties");
	}

	/** A message without properties, as every message on MQTT 3.1.1 is. */
	public MqttMessage(String topic, byte[] payload, int qos, boolean retain, boolean dup, int messageId) {
		this(topic, payload, qos, retain, dup, messageId, MqttProperties.NONE);
	}

	/** The payload decoded as UTF-8. */
	public String payloadAsString() {
		return new String(this.payload, StandardCharsets.UTF_8);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof MqttMessage that && this.topic.equals(that.topic)
				&& Arrays.equals(this.payload, that.payload) && this.qos == that.qos && this.retain == that.retain
				&& this.dup == that.dup && this.messageId == that.messageId && this.properties.equals(that.properties);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.topic, Arrays.hashCode(this.payload), this.qos, this.retain, this.dup, this.messageId,
				this.properties);
	}

	@Override
	public String toString() {
		return "MqttMessage[topic=" + this.topic + ", " + this.payload.length + " bytes, qos=" + this.qos + ", retain="
				+ this.retain + ", dup=" + this.dup + ", messageId=" + this.messageId
				+ ((this.properties == MqttProperties.NONE) ? "" : ", properties=" + this.properties) + "]";
	}

}
