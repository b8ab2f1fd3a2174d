package io.umqtt.spring.listener;

import java.lang.reflect.Method;
import java.util.List;

import io.umqtt.core.SubscribeOptions;

/**
 * One {@code @MqttSubscribe} method, its filters resolved.
 *
 * @param id the listener id
 * @param bean the bean whose method it is
 * @param method the method
 * @param topics the topic templates (placeholders resolved)
 * @param qos the QoS to subscribe with
 * @param client the configured client's name; empty for the primary
 * @param group the shared subscription group, or empty
 * @param options the MQTT 5 subscription options; {@link SubscribeOptions#DEFAULT} on 3.1
 * and 3.1.1
 */
public record MqttListenerEndpoint(String id, Object bean, Method method, List<TopicTemplate> topics, int qos,
		String client, String group, SubscribeOptions options) {

	/** An endpoint with the default subscription options. */
	public MqttListenerEndpoint(String id, Object bean, Method method, List<TopicTemplate> topics, int qos,
			String client, String group) {
		this(id, bean, method, topics, qos, client, group, SubscribeOptions.DEFAULT);
	}

	public MqttListenerEndpoint {
		topics = List.copyOf(topics);
		if (topics.isEmpty()) {
			throw new IllegalArgumentException("@MqttSubscribe on " + method + " names no topic");
		}
		io.umqtt.core.packet.QoS.check(qos);
		java.util.Objects.requireNonNull(options, "options");
		for (int i = 0; i < group.length(); i++) {
			char c = group.charAt(i);
			if (c == '/' || c == '+' || c == '#') {
				// the ShareName must not contain "/", "+" or "#" [MQTT-4.8.2-2]
				throw new IllegalArgumentException("@MqttSubscribe(group = \"" + group + "\") on " + method
						+ ": a shared subscription group must not contain '/', '+' or '#' [MQTT-4.8.2-2]; '" + c
						+ "' would make $share/" + group + "/... another filter");
			}
		}
	}

	/**
	 * The filter to subscribe for {@code topic}: shared when a group is set.
	 * @param topic one of the endpoint's templates
	 * @return {@code $share/<group>/<filter>} or the filter
	 */
	public String subscriptionFilter(TopicTemplate topic) {
		return this.group.isEmpty() ? topic.filter() : "$share/" + this.group + "/" + topic.filter();
	}

}
