package io.umqtt.sample;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.umqtt.spring.MqttTemplate;

/**
 * Sends commands to devices and follows each one: sent, accepted by the broker (its
 * PUBACK, at QoS 1), and seen by the device. A device says it has seen a command only by
 * the running {@link Reading#commands() command count} in its telemetry: when the count
 * grows by n, the n oldest commands sent to it and not yet seen are. Keeps the latest
 * commands only. Thread-safe.
 */
public class DeviceCommands {

	private static final int KEEP = 20;

	private final MqttTemplate template;

	private final Clock clock;

	private final Deque<Entry> recent = new ArrayDeque<>();

	/** Per device, the command count of its latest reading. */
	private final Map<String, Integer> reported = new HashMap<>();

	private long nextId = 1;

	public DeviceCommands(MqttTemplate template, Clock clock) {
		this.template = template;
		this.clock = clock;
	}

	/**
	 * Publishes a command to {@code devices/<device>/commands} at QoS 1 without waiting
	 * for the broker.
	 * @param device the device id
	 * @param command the command text
	 * @return the command as sent
	 */
	public SentCommand send(String device, String command) {
		Entry entry;
		synchronized (this) {
			entry = new Entry(this.nextId++, device, command, this.clock.millis());
			this.recent.addFirst(entry);
			if (this.recent.size() > KEEP) {
				this.recent.removeLast();
			}
		}
		try {
			this.template.publish(topic(device), command, 1, false).whenComplete((ignored, failure) -> {
				synchronized (this) {
					if (failure != null) {
						entry.failure = failure.getMessage();
					}
					else {
						entry.acceptedAt = this.clock.millis();
					}
				}
			});
		}
		catch (RuntimeException ex) {
			synchronized (this) {
				entry.failure = ex.getMessage();
			}
			throw ex;
		}
		synchronized (this) {
			return entry.view();
		}
	}

	/**
	 * Notes a device's command count from its telemetry: commands it has now seen are
	 * marked so.
	 * @param device the device id
	 * @param commands how many commands the device says it has received
	 */
	public synchronized void reported(String device, int commands) {
		Integer before = this.reported.put(device, commands);
		int newlySeen = commands - ((before != null) ? before : 0);
		long now = this.clock.millis();
		Iterator<Entry> oldestFirst = this.recent.descendingIterator();
		while (newlySeen > 0 && oldestFirst.hasNext()) {
			Entry entry = oldestFirst.next();
			if (entry.device.equals(device) && entry.seenAt == null && entry.failure == null) {
				entry.seenAt = now;
				newlySeen--;
			}
		}
	}

	/** The latest commands, newest first. */
	public synchronized List<SentCommand> recent() {
		return this.recent.stream().map(Entry::view).toList();
	}

	private static String topic(String device) {
		return "devices/" + device + "/commands";
	}

	/**
	 * A command as the API shows it. Times are milliseconds since the epoch.
	 *
	 * @param id its number in this application
	 * @param device the device id
	 * @param topic where it was published
	 * @param command the command text
	 * @param sentAt when it was published
	 * @param acceptedAt when the broker acknowledged it, or {@code null}
	 * @param seenAt when the device's telemetry first counted it, or {@code null}
	 * @param failure why publishing failed, or {@code null}
	 */
	public record SentCommand(long id, String device, String topic, String command, long sentAt, Long acceptedAt,
			Long seenAt, String failure) {
	}

	/** Guarded by the enclosing {@code DeviceCommands}. */
	private static final class Entry {

		final long id;

		final String device;

		final String command;

		final long sentAt;

		Long acceptedAt;

		Long seenAt;

		String failure;

		Entry(long id, String device, String command, long sentAt) {
			this.id = id;
			this.device = device;
			this.command = command;
			this.sentAt = sentAt;
		}

		SentCommand view() {
			return new SentCommand(this.id, this.device, topic(this.device), this.command, this.sentAt, this.acceptedAt,
					this.seenAt, this.failure);
		}

	}

}
