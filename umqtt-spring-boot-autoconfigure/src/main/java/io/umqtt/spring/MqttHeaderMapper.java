package io.umqtt.spring;

import io.umqtt.core.MqttProperties;

import org.springframework.messaging.MessageHeaders;

/**
 * Maps the headers of a message {@link MqttTemplate} sends to the MQTT 5 properties it is
 * published with. {@link DefaultMqttHeaderMapper} is the auto-configured one; an
 * application replaces it with a bean of this type (Spring Integration's
 * {@code MqttHeaderMapper} plays the same part). Only used for clients on MQTT 5: on 3.1
 * and 3.1.1 a message has no properties.
 */
@FunctionalInterface
public interface MqttHeaderMapper {

	/**
	 * The properties to publish a message with.
	 * @param headers the message's headers, {@code contentType} from the converter
	 * included
	 * @return a builder with the properties; the template may add user properties (the
	 * trace context) before it builds them
	 */
	MqttProperties.Builder fromHeaders(MessageHeaders headers);

}
