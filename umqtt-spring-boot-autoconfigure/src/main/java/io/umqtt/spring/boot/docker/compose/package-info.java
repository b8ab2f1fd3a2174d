/**
 * Docker Compose service connections for MQTT brokers.
 */
@NullMarked
package io.umqtt.spring.boot.docker.compose;

import org.jspecify.annotations.NullMarked;
