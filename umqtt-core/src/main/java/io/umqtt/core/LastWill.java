package io.umqtt.core;

import java.util.Arrays;
import java.util.Objects;

import io.umqtt.core.packet.QoS;
import io.umqtt.core.topic.TopicName;

/**
 * The message the broker publishes for the client when the connection ends without a
 * DISCONNECT.
 *
 * @param topic a valid topic name
 * @param message the payload
 * @param retain whether the broker retains it
 * @param qos 0, 1 or 2
 */
public record LastWill(String topic, byte[] message, boolean retain, int qos) {

	public LastWill {
		TopicName.check(topic);
		Objects.requireNonNull(message, "message");
		if (message.length > 65_535) {
			throw new IllegalArgumentException("A last will message is at most 65535 bytes, was " + message.length);
		}
		QoS.check(qos);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof LastWill that && this.topic.equals(that.topic)
				&& Arrays.equals(this.message, that.message) && this.retain == that.retain && this.qos == that.qos;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.topic, Arrays.hashCode(this.message), this.retain, this.qos);
	}

	@Override
	public String toString() {
		return "LastWill[topic=" + this.topic + ", " + this.message.length + " bytes, retain=" + this.retain + ", qos="
				+ this.qos + "]";
	}

}
