/**
 * Auto-configuration of the Micrometer meters of umqtt clients.
 */
@NullMarked
package io.umqtt.spring.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
