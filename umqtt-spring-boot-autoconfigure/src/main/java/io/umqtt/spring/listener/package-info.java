/**
 * The {@code @MqttSubscribe} machinery: the post-processor finds annotated methods, each
 * becomes an endpoint, the registry subscribes them when the context starts, and an
 * adapter invokes the method through spring-messaging for every message. One MQTT
 * connection carries all of them.
 */
@NullMarked
package io.umqtt.spring.listener;

import org.jspecify.annotations.NullMarked;
