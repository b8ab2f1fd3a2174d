/**
 * The public API of umqtt's core: {@link io.umqtt.core.MqttClient}, one MQTT connection with
 * every function of the QuecPython {@code umqtt} module, QoS 0, 1 and 2, on Netty.
 */
package io.umqtt.core;
