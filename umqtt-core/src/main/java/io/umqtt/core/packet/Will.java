package io.umqtt.core.packet;

import java.util.Arrays;
import java.util.Objects;

/**
 * The last will carried in CONNECT.
 *
 * @param topic will topic, a valid topic name
 * @param payload will message
 * @param qos 0, 1 or 2
 * @param retain whether the broker retains the will when it publishes it
 * @param properties the MQTT 5 will properties, the Will Delay Interval among them;
 * {@link PacketProperties#NONE} on 3.1 and 3.1.1
 */
public record Will(String topic, byte[] payload, int qos, boolean retain, PacketProperties properties) {

	public Will {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(payload, "payload");
		Objects.requireNonNull(properties, "properties");
		QoS.check(qos);
	}

	/** A will without properties, as MQTT 3.1 and 3.1.1 send it. */
	public Will(String topic, byte[] payload, int qos, boolean retain) {
		this(topic, payload, qos, retain, PacketProperties.NONE);
	}

	/**
	 * How long the server waits before publishing the will (MQTT 5's Will Delay
	 * Interval).
	 * @return seconds, or 0 when the property is absent (publish at once)
	 */
	public long delaySeconds() {
		long delay = this.properties.willDelayInterval();
		return (delay == PacketProperties.ABSENT) ? 0 : delay;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Will that && this.topic.equals(that.topic) && Arrays.equals(this.payload, that.payload)
				&& this.qos == that.qos && this.retain == that.retain && this.properties.equals(that.properties);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.topic, Arrays.hashCode(this.payload), this.qos, this.retain, this.properties);
	}

	@Override
	public String toString() {
		return "Will[topic=" + this.topic + ", " + this.payload.length + " bytes, qos=" + this.qos + ", retain="
				+ this.retain + (this.properties.isEmpty() ? "" : ", " + this.properties) + "]";
	}

}
