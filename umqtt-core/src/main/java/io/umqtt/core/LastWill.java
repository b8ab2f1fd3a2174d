package io.umqtt.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

import io.umqtt.core.packet.QoS;
import io.umqtt.core.topic.TopicName;

/**
 * The message the broker publishes for the client when the connection ends without a
 * DISCONNECT.
 * <p>
 * On MQTT 5 the broker waits {@code delay} before publishing it (the Will Delay Interval;
 * a client back within it, on the same session, cancels the will) and publishes it with
 * {@code properties}. MQTT 3.1 and 3.1.1 know neither: a will with a delay or properties
 * is refused there.
 *
 * @param topic a valid topic name
 * @param message the payload
 * @param retain whether the broker retains it
 * @param qos 0, 1 or 2
 * @param delay the Will Delay Interval, whole seconds (rounded up), 0 to 4,294,967,295;
 * {@link Duration#ZERO} publishes at once
 * @param properties the will properties (payload format, message expiry, content type,
 * response topic, correlation data, user properties); {@link MqttProperties#NONE} for
 * none
 */
public record LastWill(String topic, byte[] message, boolean retain, int qos, Duration delay,
		MqttProperties properties) {

	public LastWill {
		TopicName.check(topic);
		Objects.requireNonNull(message, "message");
		if (message.length > 65_535) {
			throw new IllegalArgumentException("A last will message is at most 65535 bytes, was " + message.length);
		}
		QoS.check(qos);
		Objects.requireNonNull(delay, "delay");
		if (delay.isNegative()) {
			throw new IllegalArgumentException("A will delay must not be negative, was " + delay);
		}
		long seconds = delay.getSeconds() + ((delay.getNano() > 0) ? 1 : 0);
		if (seconds > MqttProperties.MAX_EXPIRY_SECONDS) {
			throw new IllegalArgumentException("A will delay is at most 4294967295 s, was " + delay);
		}
		delay = Duration.ofSeconds(seconds);
		Objects.requireNonNull(properties, "properties");
		if (!properties.subscriptionIdentifiers().isEmpty()) {
			throw new IllegalArgumentException("A last will cannot carry subscription identifiers");
		}
	}

	/** A will without delay or properties, as MQTT 3.1 and 3.1.1 know it. */
	public LastWill(String topic, byte[] message, boolean retain, int qos) {
		this(topic, message, retain, qos, Duration.ZERO, MqttProperties.NONE);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof LastWill that && this.topic.equals(that.topic)
				&& Arrays.equals(this.message, that.message) && this.retain == that.retain && this.qos == that.qos
				&& this.delay.equals(that.delay) && this.properties.equals(that.properties);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.topic, Arrays.hashCode(this.message), this.retain, this.qos, this.delay,
				this.properties);
	}

	@Override
	public String toString() {
		return "LastWill[topic=" + this.topic + ", " + this.message.length + " bytes, retain=" + this.retain + ", qos="
				+ this.qos + (this.delay.isZero() ? "" : ", delay=" + this.delay)
				+ (this.properties.isEmpty() ? "" : ", " + this.properties) + "]";
	}

}
