package io.umqtt.spring.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import io.umqtt.core.MqttProperties;
import org.jspecify.annotations.Nullable;

/**
 * The context of an {@code umqtt.publish} observation: a sender context whose carrier is
 * the builder of the message's MQTT 5 properties, so a tracing handler (Micrometer
 * Tracing's {@code PropagatingSenderTracingObservationHandler}) injects the trace
 * context, W3C {@code traceparent} with the usual propagator, as user properties when the
 * observation starts. On MQTT 3.1 and 3.1.1 the carrier is {@code null} and nothing is
 * injected.
 */
public class MqttPublishContext extends SenderContext<MqttProperties.@Nullable Builder> {

	/**
	 * Creates a new {@code MqttPublishContext}.
	 * @param properties where injected entries go as user properties; {@code null} for
	 * none
	 */
	public MqttPublishContext(MqttProperties.@Nullable Builder properties) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.userProperty(key, value);
			}
		}, Kind.PRODUCER);
		setCarrier(properties);
		setRemoteServiceName("mqtt");
	}

}
