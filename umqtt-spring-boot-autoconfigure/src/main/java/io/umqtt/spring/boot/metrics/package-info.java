/**
 * Micrometer meters of umqtt clients.
 */
@NullMarked
package io.umqtt.spring.boot.metrics;

import org.jspecify.annotations.NullMarked;
