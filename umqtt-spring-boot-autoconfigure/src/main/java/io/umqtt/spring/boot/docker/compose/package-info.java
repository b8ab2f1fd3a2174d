/**
 * Docker Compose service connections for MQTT brokers.
 */
package io.umqtt.spring.boot.docker.compose;
