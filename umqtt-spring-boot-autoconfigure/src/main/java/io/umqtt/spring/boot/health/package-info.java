/**
 * Actuator health of umqtt clients.
 */
package io.umqtt.spring.boot.health;
