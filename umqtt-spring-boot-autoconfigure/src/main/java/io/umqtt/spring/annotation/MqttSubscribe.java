package io.umqtt.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method as the receiver of the messages of one or more topic filters.
 * <p>
 * Filters may use {@code ${...}} placeholders and {@code {name}} topic variables: a
 * variable stands for one level ({@code devices/{id}/telemetry} subscribes
 * {@code devices/+/telemetry}) and its value is bound to a parameter annotated
 * {@link TopicVariable @TopicVariable("id")}. Parameters are resolved by
 * spring-messaging: the payload ({@code byte[]}, {@code String}, or any type the message
 * converter reads, JSON through Jackson), {@code @Payload},
 * {@code @Header(MqttHeaders.TOPIC)} and the other {@link io.umqtt.spring.MqttHeaders},
 * {@code @Headers}, {@code Message<?>}. A QoS 1 or 2 message is acknowledged after the
 * method returns; a return value is published to the topic of a {@code @SendTo} on the
 * method.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MqttSubscribe {

	/** Alias for {@link #topics()}. */
	@AliasFor("topics")
	String[] value() default {};

	/** The topic filters. */
	@AliasFor("value")
	String[] topics() default {};

	/** The QoS to subscribe with: 0, 1 or 2. */
	int qos() default 0;

	/** The configured client to subscribe with; empty for the primary one. */
	String client() default "";

	/**
	 * A shared subscription group: each message goes to one member
	 * ({@code $share/<group>/<filter>}).
	 */
	String group() default "";

	/** The listener's id, to pause and resume it; derived from the method when empty. */
	String id() default "";

}
