package io.umqtt.core.packet;

import java.util.Objects;

import io.umqtt.core.SubscribeOptions;

/**
 * One topic filter with its requested QoS, as carried in SUBSCRIBE.
 *
 * @param filter topic filter, wildcards allowed
 * @param qos maximum QoS requested, 0 to 2
 * @param options the MQTT 5 subscription options; {@link SubscribeOptions#DEFAULT} on
 * 3.1.1
 */
public record Subscription(String filter, int qos, SubscribeOptions options) {

	public Subscription {
		Objects.requireNonNull(filter, "filter");
		QoS.check(qos);
		Objects.requireNonNull(options, "options");
	}

	/** A subscription with the default options, all that MQTT 3.1.1 has. */
	public Subscription(String filter, int qos) {
		this(filter, qos, SubscribeOptions.DEFAULT);
	}

	/** As on 3.1.1 with the default options. */
	@Override
	public String toString() {
		return "Subscription[filter=" + this.filter + ", qos=" + this.qos
				+ (this.options.equals(SubscribeOptions.DEFAULT) ? "" : ", " + this.options) + "]";
	}

}
