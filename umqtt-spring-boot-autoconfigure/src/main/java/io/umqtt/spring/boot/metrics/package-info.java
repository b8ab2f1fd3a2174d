/**
 * Micrometer meters of umqtt clients.
 */
package io.umqtt.spring.boot.metrics;
