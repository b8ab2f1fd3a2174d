package io.umqtt.sample;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The REST API and the server-sent event stream behind the live page.
 */
@RestController
public class DeviceController {

	private final DeviceRegistry registry;

	private final DeviceSimulator simulator;

	private final DeviceCommands commands;

	private final TelemetryHistory history;

	private final LiveFeed feed;

	private final SampleConnection connection;

	public DeviceController(DeviceRegistry registry, DeviceSimulator simulator, DeviceCommands commands,
			TelemetryHistory history, LiveFeed feed, SampleConnection connection) {
		this.registry = registry;
		this.simulator = simulator;
		this.commands = commands;
		this.history = history;
		this.feed = feed;
		this.connection = connection;
	}

	/** Latest reading and status of every device. */
	@GetMapping("/api/devices")
	public List<DeviceRegistry.DeviceView> devices() {
		return this.registry.devices();
	}

	/**
	 * Sends a command to a device over MQTT (QoS 1), on MQTT 5 as a request the device
	 * replies to; answers at once, telling how to follow the command.
	 */
	@PostMapping("/api/devices/{id}/commands")
	public ResponseEntity<DeviceCommands.SentCommand> command(@PathVariable String id, @RequestBody String command) {
		return ResponseEntity.accepted().body(this.commands.send(id, command));
	}

	/**
	 * The latest commands, newest first: when each was sent, accepted by the broker
	 * (below MQTT 5), replied to with its round-trip time (MQTT 5) and seen by the
	 * device.
	 */
	@GetMapping("/api/commands")
	public List<DeviceCommands.SentCommand> commands() {
		return this.commands.recent();
	}

	/**
	 * Cuts a simulated device's connection as a crash would; its last will marks it
	 * offline.
	 */
	@PostMapping("/api/devices/{id}/kill")
	public ResponseEntity<Void> kill(@PathVariable String id) {
		return this.simulator.kill(id) ? ResponseEntity.accepted().build()
				: ResponseEntity.status(HttpStatus.NOT_FOUND).build();
	}

	/**
	 * The last minutes of telemetry: every reading with its time, and the message rate
	 * each second.
	 */
	@GetMapping("/api/history")
	public TelemetryHistory.History history() {
		return this.history.snapshot();
	}

	/** The application's MQTT connection. */
	@GetMapping("/api/connection")
	public ConnectionView connection() {
		return this.connection.view();
	}

	/** The live page's events: {@code history} once, then {@code update} every second. */
	@GetMapping("/api/stream")
	public SseEmitter stream() {
		return this.feed.open();
	}

}
