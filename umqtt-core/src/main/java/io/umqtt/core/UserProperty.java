package io.umqtt.core;

import java.util.Objects;

/**
 * One MQTT 5 user property: a name and a value, both UTF-8 strings. A packet may carry
 * the same name more than once, and the order is kept [MQTT-3.3.2-18].
 *
 * @param name the property's name
 * @param value its value
 */
public record UserProperty(String name, String value) {

	public UserProperty {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(value, "value");
	}

}
