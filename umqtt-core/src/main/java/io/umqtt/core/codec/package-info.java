/**
 * The MQTT 3.1 / 3.1.1 wire format: exact-size encoding, framing by remaining length, and
 * decoding with every rule of the specification checked.
 */
package io.umqtt.core.codec;
