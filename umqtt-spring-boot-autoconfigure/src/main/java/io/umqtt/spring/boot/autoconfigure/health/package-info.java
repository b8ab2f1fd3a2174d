/**
 * Auto-configuration of the {@code mqtt} health contributor and its
 * {@code management.health.mqtt.*} properties.
 */
package io.umqtt.spring.boot.autoconfigure.health;
