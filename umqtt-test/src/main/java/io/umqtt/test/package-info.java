/**
 * Test support: a JUnit 5 extension that hands a test a running MQTT broker on loopback
 * (Mosquitto, an embedded Moquette, or a Testcontainers one) with controls for fault
 * tests.
 */
package io.umqtt.test;
