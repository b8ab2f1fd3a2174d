package io.umqtt.sample;

/**
 * One telemetry message, published as JSON on {@code devices/<id>/telemetry}.
 *
 * @param temperature degrees Celsius
 * @param humidity percent
 * @param sequence the device's running message number
 * @param commands how many commands the device has received
 */
public record Reading(double temperature, double humidity, long sequence, int commands) {
}
