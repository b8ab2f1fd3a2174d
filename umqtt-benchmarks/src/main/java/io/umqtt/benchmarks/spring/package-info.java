/**
 * The Spring-level load scenarios: a Spring Boot application receiving and sending
 * through umqtt's starter against the same application on Spring Integration's MQTT
 * adapters.
 */
package io.umqtt.benchmarks.spring;
