/**
 * Application events about MQTT connections and subscriptions.
 */
@NullMarked
package io.umqtt.spring.event;

import org.jspecify.annotations.NullMarked;
