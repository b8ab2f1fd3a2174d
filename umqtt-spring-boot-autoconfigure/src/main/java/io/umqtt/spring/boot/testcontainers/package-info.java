/**
 * Testcontainers service connections for MQTT brokers.
 */
@NullMarked
package io.umqtt.spring.boot.testcontainers;

import org.jspecify.annotations.NullMarked;
