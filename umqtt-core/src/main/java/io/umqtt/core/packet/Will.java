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
 */
public record Will(String topic, byte[] payload, int qos, boolean retain) {

	public Will {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(payload, "payload");
		QoS.check(qos);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Will that && this.topic.equals(that.topic) && Arrays.equals(this.payload, that.payload)
				&& this.qos == that.qos && this.retain == that.retain;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.topic, Arrays.hashCode(this.payload), this.qos, this.retain);
	}

	@Override
	public String toString() {
		return "Will[topic=" + this.topic + ", " + this.payload.length + " bytes, qos=" + this.qos + ", retain="
				+ this.retain + "]";
	}

}
