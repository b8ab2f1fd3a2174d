/**
 * The MQTT 3.1 / 3.1.1 control packets as immutable records under one sealed interface.
 */
package io.umqtt.core.packet;
