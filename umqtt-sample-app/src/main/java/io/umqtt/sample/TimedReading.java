package io.umqtt.sample;

/**
 * One device's reading as the charts plot it: when the application received it and its
 * values.
 *
 * @param device the device id
 * @param time when it arrived, in milliseconds since the epoch
 * @param temperature degrees Celsius
 * @param humidity percent
 * @param sequence the device's running message number
 */
public record TimedReading(String device, long time, double temperature, double humidity, long sequence) {
}
