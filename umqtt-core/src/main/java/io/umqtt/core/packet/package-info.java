/**
 * The MQTT 3.1, 3.1.1 and 5.0 control packets as immutable records under one sealed interface,
 * with the MQTT 5 properties and reason codes.
 */
package io.umqtt.core.packet;
