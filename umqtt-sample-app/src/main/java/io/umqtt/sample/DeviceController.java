package io.umqtt.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Scheduled;
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

	private final MqttTemplate template;

	private final MqttClient client;

	private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();

	private long lastReceived;

	private double rate;

	public DeviceController(DeviceRegistry registry, DeviceSimulator simulator, MqttTemplate template,
			MqttClient client) {
		this.registry = registry;
		this.simulator = simulator;
		this.template = template;
		this.client = client;
	}

	/** Latest reading and status of every device. */
	@GetMapping("/api/devices")
	public List<DeviceRegistry.DeviceView> devices() {
		return this.registry.devices();
	}

	/** Sends a command to a device over MQTT. */
	@PostMapping("/api/devices/{id}/commands")
	public ResponseEntity<Map<String, String>> command(@PathVariable String id, @RequestBody String command) {
		this.template.convertAndSend("devices/" + id + "/commands", command);
		return ResponseEntity.accepted().body(Map.of("sent", "devices/" + id + "/commands"));
	}

	/** Cuts a simulated device's connection as a crash would; its last will marks it offline. */
	@PostMapping("/api/devices/{id}/kill")
	public ResponseEntity<Void> kill(@PathVariable String id) {
		return this.simulator.kill(id) ? ResponseEntity.accepted().build()
				: ResponseEntity.status(HttpStatus.NOT_FOUND).build();
	}

	/** Live snapshots for the page, once a second. */
	@GetMapping("/api/stream")
	public SseEmitter stream() {
		SseEmitter emitter = new SseEmitter(Duration.ofMinutes(30).toMillis());
		this.emitters.add(emitter);
		emitter.onCompletion(() -> this.emitters.remove(emitter));
		emitter.onTimeout(() -> this.emitters.remove(emitter));
		emitter.onError((ex) -> this.emitters.remove(emitter));
		return emitter;
	}

	@Scheduled(fixedRate = 1000)
	void broadcast() {
		long received = this.registry.received();
		this.rate = received - this.lastReceived;
		this.lastReceived = received;
		Map<String, Object> snapshot = Map.of("devices", this.registry.devices(), "messagesPerSecond", this.rate,
				"received", received, "mqttsta", this.client.getMqttsta(), "clientId", this.client.clientId());
		for (SseEmitter emitter : this.emitters) {
			try {
				emitter.send(SseEmitter.event().name("snapshot").data(snapshot));
			}
			catch (IOException | IllegalStateException ex) {
				this.emitters.remove(emitter);
			}
		}
	}

}
