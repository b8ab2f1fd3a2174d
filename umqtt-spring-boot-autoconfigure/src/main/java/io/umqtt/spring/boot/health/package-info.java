/**
 * Actuator health of umqtt clients.
 */
@NullMarked
package io.umqtt.spring.boot.health;

import org.jspecify.annotations.NullMarked;
