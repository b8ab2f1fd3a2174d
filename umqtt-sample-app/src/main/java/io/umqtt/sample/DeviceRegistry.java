package io.umqtt.sample;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.umqtt.spring.MqttHeaders;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.annotation.TopicVariable;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * What the application knows of each device, from its telemetry and its status messages.
 * Each reading also goes to the {@link TelemetryHistory} for the charts, and its command
 * count to {@link DeviceCommands}. On MQTT 5 a reading also carries its content type and
 * the device's model and firmware as user properties, each read as a header.
 */
@Component
public class DeviceRegistry {

	private final Map<String, DeviceState> devices = new ConcurrentHashMap<>();

	private final AtomicLong received = new AtomicLong();

	private final TelemetryHistory history;

	private final DeviceCommands commands;

	public DeviceRegistry(TelemetryHistory history, DeviceCommands commands) {
		this.history = history;
		this.commands = commands;
	}

	@MqttSubscribe(topics = "devices/{id}/telemetry", qos = 1)
	void onTelemetry(@TopicVariable("id") String id, Reading reading,
			@Header(name = MqttHeaders.CONTENT_TYPE, required = false) String contentType,
			@Header(name = DeviceSimulator.MODEL, required = false) String model,
			@Header(name = DeviceSimulator.FIRMWARE, required = false) String firmware) {
		this.received.incrementAndGet();
		state(id).record(reading, contentType, model, firmware);
		this.history.add(id, reading);
		this.commands.reported(id, reading.commands());
	}

	@MqttSubscribe(topics = "devices/{id}/status", qos = 1)
	void onStatus(@TopicVariable("id") String id, String status) {
		state(id).status = status;
	}

	private DeviceState state(String id) {
		return this.devices.computeIfAbsent(id, DeviceState::new);
	}

	/** Every device seen, by id. */
	public List<DeviceView> devices() {
		return this.devices.values()
			.stream()
			.map(DeviceState::view)
			.sorted(Comparator.comparing(DeviceView::id))
			.toList();
	}

	/** Telemetry messages received since start. */
	public long received() {
		return this.received.get();
	}

	/**
	 * A device as the API shows it.
	 *
	 * @param id device id
	 * @param status {@code online}, {@code offline} or {@code unknown}
	 * @param latest the latest reading, or {@code null}
	 * @param messages telemetry messages received from it
	 * @param lastSeen when its latest reading arrived
	 * @param contentType the MQTT 5 content type of its latest reading, or {@code null}
	 * @param model its {@code device-model} user property (MQTT 5), or {@code null}
	 * @param firmware its {@code firmware} user property (MQTT 5), or {@code null}
	 */
	public record DeviceView(String id, String status, Reading latest, long messages, Instant lastSeen,
			String contentType, String model, String firmware) {
	}

	private static final class DeviceState {

		private final String id;

		private volatile String status = "unknown";

		private volatile Reading latest;

		private volatile Instant lastSeen;

		private volatile String contentType;

		private volatile String model;

		private volatile String firmware;

		private final AtomicLong messages = new AtomicLong();

		DeviceState(String id) {
			this.id = id;
		}

		void record(Reading reading, String contentType, String model, String firmware) {
			this.latest = reading;
			this.contentType = contentType;
			this.model = model;
			this.firmware = firmware;
			this.lastSeen = Instant.now();
			this.messages.incrementAndGet();
		}

		DeviceView view() {
			return new DeviceView(this.id, this.status, this.latest, this.messages.get(), this.lastSeen,
					this.contentType, this.model, this.firmware);
		}

	}

}
