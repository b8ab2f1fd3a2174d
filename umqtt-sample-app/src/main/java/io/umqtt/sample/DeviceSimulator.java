package io.umqtt.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttProperties;
import io.umqtt.spring.DefaultMqttHeaderMapper;
import io.umqtt.spring.MqttTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Simulated devices, each its own MQTT connection with a retained last will
 * ({@code devices/<id>/status} → {@code offline}), publishing JSON telemetry through its
 * own {@link MqttTemplate} and obeying commands on {@code devices/<id>/commands}. The
 * devices speak the MQTT version of the application's connection. On MQTT 5 each reading
 * carries the content type {@code application/json} and the device's model and firmware
 * as user properties, and a device answers a command that has a response topic with a
 * {@link CommandReply} there, with the command's correlation data.
 */
@Component
public class DeviceSimulator implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DeviceSimulator.class);

	/** The user property naming a device's model, on MQTT 5. */
	public static final String MODEL = "device-model";

	/** The user property naming a device's firmware version, on MQTT 5. */
	public static final String FIRMWARE = "firmware";

	private static final String[] MODELS = { "TH-20", "TH-21 Pro" };

	private final SampleProperties properties;

	private final MqttClient primary;

	private final MessageConverter converter;

	private final TaskScheduler scheduler;

	private final int version;

	private final Map<String, Device> devices = new ConcurrentHashMap<>();

	private volatile boolean running;

	public DeviceSimulator(SampleProperties properties, MqttClient primary,
			@Qualifier("mqttMessageConverter") MessageConverter converter, TaskScheduler scheduler,
			SampleConnection connection) {
		this.properties = properties;
		this.version = connection.version();
		this.primary = primary;
		this.converter = converter;
		this.scheduler = scheduler;
	}

	@Override
	public void start() {
		for (int i = 1; i <= this.properties.getCount(); i++) {
			String id = "device-" + i;
			Device device = new Device(id, i);
			this.devices.put(id, device);
			device.start();
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.devices.values().forEach(Device::stop);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// after the listeners subscribe, before they stop
		return Integer.MAX_VALUE - 512;
	}

	/** The ids of the simulated devices. */
	public List<String> deviceIds() {
		return new ArrayList<>(this.devices.keySet());
	}

	/**
	 * Cuts a device's connection without DISCONNECT, as a crash would: the broker
	 * publishes its will.
	 * @param id the device id
	 * @return whether such a device exists
	 */
	public boolean kill(String id) {
		Device device = this.devices.get(id);
		if (device == null) {
			return false;
		}
		device.kill();
		return true;
	}

	private final class Device {

		private final String id;

		private final MqttClient client;

		private final MqttTemplate template;

		private final Random random = new Random();

		/**
		 * Where this device's temperature and humidity hover, so the chart's lines stay
		 * apart.
		 */
		private final double baseTemperature;

		private final double baseHumidity;

		/** The slowly wandering offsets from those. */
		private double temperatureDrift;

		private double humidityDrift;

		private final AtomicLong sequence = new AtomicLong();

		private final AtomicInteger commands = new AtomicInteger();

		private volatile java.util.concurrent.ScheduledFuture<?> task;

		private volatile boolean dead;

		Device(String id, int number) {
			this.id = id;
			this.baseTemperature = 19 + 2.5 * ((number - 1) % 4);
			this.baseHumidity = 40 + 6 * ((number - 1) % 5);
			this.client = MqttClient.builder("sample-" + id, DeviceSimulator.this.primary.server())
				.port(DeviceSimulator.this.primary.port())
				.keepalive(10)
				.version(DeviceSimulator.this.version)
				.dispatchThread(true)
				.build();
			this.client.setLastWill("devices/" + id + "/status", "offline", true, 1);
			this.template = new MqttTemplate(this.client, DeviceSimulator.this.converter);
			this.template.setMqttVersion(DeviceSimulator.this.version);
			if (DeviceSimulator.this.version == 5) {
				// every message of this device says what it is, as MQTT 5 user properties
				String model = MODELS[(number - 1) % MODELS.length];
				String firmware = "1.4." + number;
				DefaultMqttHeaderMapper standard = new DefaultMqttHeaderMapper();
				this.template.setHeaderMapper((headers) -> standard.fromHeaders(headers)
					.userProperty(MODEL, model)
					.userProperty(FIRMWARE, firmware));
			}
		}

		void start() {
			this.client.connectAsync(true).thenRun(() -> {
				this.client.publishAsync("devices/" + this.id + "/status", "online", true, 1);
				this.client.subscribeAsync("devices/" + this.id + "/commands", 1, this::onCommand);
			});
			this.task = DeviceSimulator.this.scheduler.scheduleAtFixedRate(this::publish,
					DeviceSimulator.this.properties.getInterval());
		}

		private void onCommand(MqttMessage message) {
			int received = this.commands.incrementAndGet();
			logger.info(this.id + " received command: " + message.payloadAsString());
			String responseTopic = message.properties().responseTopic();
			if (responseTopic != null) {
				// MQTT 5: the command is a request; the reply goes where it asks, with
				// its correlation data so that the requester knows what it answers
				CommandReply reply = new CommandReply(this.id, message.payloadAsString(), "done", received);
				MqttProperties.Builder properties = MqttProperties.builder().contentType("application/json");
				if (message.properties().correlationData() != null) {
					properties.correlationData(message.properties().correlationData());
				}
				this.client.publishAsync(responseTopic, json(reply), false, message.qos(), properties.build());
			}
		}

		private byte[] json(Object value) {
			Message<?> message = DeviceSimulator.this.converter.toMessage(value, new MessageHeaders(null));
			Object payload = (message != null) ? message.getPayload() : null;
			if (payload instanceof byte[] bytes) {
				return bytes;
			}
			if (payload instanceof String text) {
				return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
			}
			throw new IllegalStateException("cannot write " + value + " as JSON");
		}

		private void publish() {
			if (this.dead || this.client.getMqttsta() != 0) {
				return;
			}
			// a random walk pulled back towards the base, as a room's temperature moves
			this.temperatureDrift = 0.95 * this.temperatureDrift + 0.15 * this.random.nextGaussian();
			this.humidityDrift = 0.95 * this.humidityDrift + 0.4 * this.random.nextGaussian();
			Reading reading = new Reading(this.baseTemperature + this.temperatureDrift,
					this.baseHumidity + this.humidityDrift, this.sequence.incrementAndGet(), this.commands.get());
			this.template.publish("devices/" + this.id + "/telemetry", reading,
					DeviceSimulator.this.properties.getQos(), false);
		}

		void kill() {
			this.dead = true;
			if (this.task != null) {
				this.task.cancel(false);
			}
			this.client.close();
		}

		void stop() {
			if (this.task != null) {
				this.task.cancel(false);
			}
			if (!this.dead && this.client.getMqttsta() == 0) {
				// a clean goodbye: say so, since no will is published after DISCONNECT
				this.client.publish("devices/" + this.id + "/status", "offline", true, 1);
			}
			this.client.disconnect();
		}

	}

}
