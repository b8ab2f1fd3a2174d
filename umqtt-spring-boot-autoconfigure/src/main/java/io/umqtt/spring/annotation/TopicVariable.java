package io.umqtt.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a listener method parameter to the level of the topic that a {@code {name}}
 * variable of the {@link MqttSubscribe} filter matched.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TopicVariable {

	/** The variable's name, as written between braces in the filter. */
	String value();

}
