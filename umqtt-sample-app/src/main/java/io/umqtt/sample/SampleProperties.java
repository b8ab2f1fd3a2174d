package io.umqtt.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the simulated devices.
 */
@ConfigurationProperties("sample.devices")
public class SampleProperties {

	/** How many devices to simulate. */
	private int count = 3;

	/** How often each device publishes a reading. */
	private Duration interval = Duration.ofMillis(500);

	/** QoS of telemetry messages. */
	private int qos = 1;

	public int getCount() {
		return this.count;
	}

	public void setCount(int count) {
		this.count = count;
	}

	public Duration getInterval() {
		return this.interval;
	}

	public void setInterval(Duration interval) {
		this.interval = interval;
	}

	public int getQos() {
		return this.qos;
	}

	public void setQos(int qos) {
		this.qos = qos;
	}

}
