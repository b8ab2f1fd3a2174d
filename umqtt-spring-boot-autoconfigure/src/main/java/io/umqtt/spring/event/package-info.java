/**
 * Application events about MQTT connections and subscriptions.
 */
package io.umqtt.spring.event;
