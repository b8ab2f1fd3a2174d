/**
 * umqtt for Spring: {@link io.umqtt.spring.MqttTemplate}, message headers and the
 * registry of configured clients.
 */
@NullMarked
package io.umqtt.spring;

import org.jspecify.annotations.NullMarked;
