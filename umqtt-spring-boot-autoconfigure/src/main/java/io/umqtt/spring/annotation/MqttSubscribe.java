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
 * method returns. A non-null return value is published to the MQTT 5 response topic of
 * the message, with its correlation data and at its QoS, when it carries one; else to the
 * topic of a {@code @SendTo} on the method. {@link #noLocal}, {@link #retainAsPublished}
 * and {@link #retainHandling} are MQTT 5 subscription options.
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

	/**
	 * MQTT 5: the broker does not send this client's own publications on these filters
	 * (No Local). Set on a client on 3.1 or 3.1.1 it fails the start-up.
	 */
	boolean noLocal() default false;

	/**
	 * MQTT 5: messages keep the RETAIN flag they were published with (Retain As
	 * Published), so {@code @Header(MqttHeaders.RETAINED)} tells a retained message from
	 * a live one also after subscribing. Set on 3.1 or 3.1.1 it fails the start-up.
	 */
	boolean retainAsPublished() default false;

	/**
	 * MQTT 5 Retain Handling: 0 the broker sends the retained messages at each subscribe,
	 * 1 only when the subscription is new, 2 never. Other than 0 on 3.1 or 3.1.1 it fails
	 * the start-up.
	 */
	int retainHandling() default 0;

}
