package io.umqtt.core.packet;

import java.util.Objects;

/**
 * One topic filter with its requested QoS, as carried in SUBSCRIBE.
 *
 * @param filter topic filter, wildcards allowed
 * @param qos maximum QoS requested, 0 to 2
 */
public record Subscription(String filter, int qos) {

	public Subscription {
		Objects.requireNonNull(filter, "filter");
		QoS.check(qos);
	}

}
