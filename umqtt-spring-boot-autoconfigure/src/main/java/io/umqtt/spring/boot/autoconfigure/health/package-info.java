/**
 * Auto-configuration of the {@code mqtt} health contributor and its
 * {@code management.health.mqtt.*} properties.
 */
@NullMarked
package io.umqtt.spring.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
