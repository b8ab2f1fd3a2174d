/**
 * Testcontainers service connections for MQTT brokers.
 */
package io.umqtt.spring.boot.testcontainers;
