/**
 * Topic names and filters: validation by the MQTT 3.1.1 rules, and matching of topics
 * against filters with {@code +} and {@code #}.
 * <p>
 * Internal: not an API. Its public types serve the other packages of umqtt-core and may
 * change in any release.
 */
@NullMarked
package io.umqtt.core.topic;

import org.jspecify.annotations.NullMarked;
