/**
 * The public API of umqtt's core: {@link io.umqtt.core.MqttClient}, one MQTT connection
 * with every function of the QuecPython {@code umqtt} module, QoS 0, 1 and 2, on Netty.
 * <p>
 * The public API lives in this package ({@link io.umqtt.core.MqttClient}, its callbacks,
 * values and exceptions), together with {@link io.umqtt.core.session.SessionStore} and
 * {@code io.umqtt.core.store}; every other package is internal.
 */
@NullMarked
package io.umqtt.core;

import org.jspecify.annotations.NullMarked;
