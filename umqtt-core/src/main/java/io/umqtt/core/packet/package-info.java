/**
 * The MQTT 3.1, 3.1.1 and 5.0 control packets as immutable records under one sealed
 * interface, with the MQTT 5 properties and reason codes.
 * <p>
 * Internal: not an API. Its public types serve the other packages of umqtt-core and may
 * change in any release.
 */
@NullMarked
package io.umqtt.core.packet;

import org.jspecify.annotations.NullMarked;
