/**
 * The umqtt sample: simulated devices, an aggregator of their telemetry, a REST API and a
 * live page.
 */
package io.umqtt.sample;
