package io.umqtt.benchmarks.spring;

/**
 * The telemetry reading the Spring scenarios' listeners receive as JSON.
 *
 * @param temperature degrees Celsius
 * @param humidity percent
 * @param sequence the device's running message number
 * @param commands commands the device has received
 */
public record Reading(double temperature, double humidity, long sequence, int commands) {
}
