/**
 * Auto-configuration of the Micrometer meters of umqtt clients.
 */
package io.umqtt.spring.boot.autoconfigure.metrics;
