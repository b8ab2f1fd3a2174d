/**
 * umqtt for Spring: {@link io.umqtt.spring.MqttTemplate}, message headers and the registry of
 * configured clients.
 */
package io.umqtt.spring;
