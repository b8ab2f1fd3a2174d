package io.umqtt.spring.boot.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.umqtt.core.MqttClientObserver;

/**
 * Counts what one client publishes and receives into Micrometer meters, all tagged
 * {@code client} (its configured name) and {@code qos}:
 * <ul>
 * <li>{@code umqtt.messages.published} / {@code umqtt.messages.received} (counters)</li>
 * <li>{@code umqtt.bytes.sent} / {@code umqtt.bytes.received} (payload bytes)</li>
 * <li>{@code umqtt.messages.failed} (publishes that could not be delivered)</li>
 * <li>{@code umqtt.publish.latency} (timer, from publish to write, PUBACK or
 * PUBCOMP)</li>
 * </ul>
 * Meters are created up front, so the hot path only increments.
 */
public final class MicrometerMqttClientObserver implements MqttClientObserver {

	private final Counter[] published = new Counter[3];

	private final Counter[] received = new Counter[3];

	private final Counter[] bytesSent = new Counter[3];

	private final Counter[] bytesReceived = new Counter[3];

	private final Counter[] failed = new Counter[3];

	private final Timer[] latency = new Timer[3];

	public MicrometerMqttClientObserver(MeterRegistry registry, String clientName) {
		for (int qos = 0; qos <= 2; qos++) {
			Tags tags = Tags.of("client", clientName, "qos", Integer.toString(qos));
			this.published[qos] = Counter.builder("umqtt.messages.published")
				.description("Messages delivered to the broker as their QoS promises")
				.tags(tags)
				.register(registry);
			this.received[qos] = Counter.builder("umqtt.messages.received")
				.description("Messages received from the broker")
				.tags(tags)
				.register(registry);
			this.bytesSent[qos] = Counter.builder("umqtt.bytes.sent")
				.description("Payload bytes of messages published")
				.baseUnit("bytes")
				.tags(tags)
				.register(registry);
			this.bytesReceived[qos] = Counter.builder("umqtt.bytes.received")
				.description("Payload bytes of messages received")
				.baseUnit("bytes")
				.tags(tags)
				.register(registry);
			this.failed[qos] = Counter.builder("umqtt.messages.failed")
				.description("Publishes that failed: disconnected, offline buffer full or no room in time")
				.tags(tags)
				.register(registry);
			this.latency[qos] = Timer.builder("umqtt.publish.latency")
				.description("Time from publish to write (QoS 0), PUBACK (QoS 1) or PUBCOMP (QoS 2)")
				.tags(tags)
				.register(registry);
		}
	}

	@Override
	public void publishing(int qos, int bytes) {
		this.bytesSent[qos].increment(bytes);
	}

	@Override
	public void published(int qos, long nanos) {
		this.published[qos].increment();
		this.latency[qos].record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void publishFailed(int qos) {
		this.failed[qos].increment();
	}

	@Override
	public void received(int qos, int bytes) {
		this.received[qos].increment();
		this.bytesReceived[qos].increment(bytes);
	}

}
