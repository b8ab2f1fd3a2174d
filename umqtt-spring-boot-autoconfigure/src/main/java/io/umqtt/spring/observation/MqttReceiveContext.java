package io.umqtt.spring.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.umqtt.core.MqttProperties;
import io.umqtt.core.UserProperty;

/**
 * The context of an {@code umqtt.listener} observation: a receiver context whose carrier
 * is the received message's MQTT 5 properties, so a tracing handler (Micrometer Tracing's
 * {@code PropagatingReceiverTracingObservationHandler}) continues the trace the publisher
 * put in its user properties. A key's value is the first user property of that name.
 */
public class MqttReceiveContext extends ReceiverContext<MqttProperties> {

	/**
	 * Creates a new {@code MqttReceiveContext}.
	 * @param properties the received message's properties
	 */
	public MqttReceiveContext(MqttProperties properties) {
		super(MqttReceiveContext::firstValue, Kind.CONSUMER);
		setCarrier(properties);
		setRemoteServiceName("mqtt");
	}

	private static String firstValue(MqttProperties carrier, String key) {
		for (UserProperty property : carrier.userProperties()) {
			if (property.name().equals(key)) {
				return property.value();
			}
		}
		return null;
	}

}
