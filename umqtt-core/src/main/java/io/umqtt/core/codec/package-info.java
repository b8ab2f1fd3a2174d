/**
 * The MQTT 3.1, 3.1.1 and 5.0 wire format: exact-size encoding, framing by remaining length, and
 * decoding with every rule of the specification checked, MQTT 5 properties and reason codes
 * included.
 */
package io.umqtt.core.codec;
