package io.umqtt.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Simulated devices, each its own MQTT connection with a retained last will
 * ({@code devices/<id>/status} → {@code offline}), publishing JSON telemetry through its
 * own {@link MqttTemplate} and obeying commands on {@code devices/<id>/commands}.
 */
@Component
public class DeviceSimulator implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DeviceSimulator.class);

	private final SampleProperties properties;

	private final MqttClient primary;

	private final MessageConverter converter;

	private final TaskScheduler scheduler;

	private final Map<String, Device> devices = new ConcurrentHashMap<>();

	private volatile boolean running;

	public DeviceSimulator(SampleProperties properties, MqttClient primary,
			@Qualifier("mqttMessageConverter") MessageConverter converter, TaskScheduler scheduler) {
		this.properties = properties;
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
				.dispatchThread(true)
				.build();
			this.client.setLastWill("devices/" + id + "/status", "offline", true, 1);
			this.template = new MqttTemplate(this.client, DeviceSimulator.this.converter);
		}

		void start() {
			this.client.connectAsync(true).thenRun(() -> {
				this.client.publishAsync("devices/" + this.id + "/status", "online", true, 1);
				this.client.subscribeAsync("devices/" + this.id + "/commands", 1, (message) -> {
					this.commands.incrementAndGet();
					logger.info(this.id + " received command: " + message.payloadAsString());
				});
			});
			this.task = DeviceSimulator.this.scheduler.scheduleAtFixedRate(this::publish,
					DeviceSimulator.this.properties.getInterval());
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
