/**
 * The MQTT 3.1, 3.1.1 and 5.0 wire format: exact-size encoding, framing by remaining
 * length, and decoding with every rule of the specification checked, MQTT 5 properties
 * and reason codes included.
 * <p>
 * Internal: not an API. Its public types serve the other packages of umqtt-core and may
 * change in any release.
 */
@NullMarked
package io.umqtt.core.codec;

import org.jspecify.annotations.NullMarked;
