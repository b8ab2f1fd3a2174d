package io.umqtt.sample;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.umqtt.spring.MqttHeaders;
import io.umqtt.spring.MqttTemplate;

/**
 * Sends commands to devices and follows each one.
 * <p>
 * On MQTT 5 a command is a request: {@link MqttTemplate#convertSendAndReceive} publishes
 * it with a response topic and correlation data, the device answers there with a
 * {@link CommandReply}, and the command's round-trip time is the time from publishing to
 * the reply. The request waits on a thread of its own, so the HTTP call that sends it
 * returns at once.
 * <p>
 * On MQTT 3.1 and 3.1.1, which have no response topic, a command is published and
 * followed as far as MQTT 3.1.1 lets: accepted by the broker (its PUBACK, at QoS 1), and
 * seen by the device.
 * <p>
 * On every version a device says it has seen a command by the running
 * {@link Reading#commands() command count} in its telemetry: when the count grows by n,
 * the n oldest commands sent to it and not yet seen are. Keeps the latest commands only.
 * Thread-safe.
 */
public class DeviceCommands implements AutoCloseable {

	private static final int KEEP = 20;

	private final MqttTemplate template;

	private final Clock clock;

	/** Where requests wait for their replies; {@code null} below MQTT 5. */
	private final ExecutorService requests;

	private final Deque<Entry> recent = new ArrayDeque<>();

	/** Per device, the command count of its latest reading. */
	private final Map<String, Integer> reported = new HashMap<>();

	private long nextId = 1;

	public DeviceCommands(MqttTemplate template, Clock clock) {
		this.template = template;
		this.clock = clock;
		this.requests = (template.getMqttVersion() == 5) ? Executors.newFixedThreadPool(4, daemonThreads()) : null;
	}

	private static java.util.concurrent.ThreadFactory daemonThreads() {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, "sample-command-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/** Whether commands are requests with a reply (MQTT 5). */
	public boolean requestReply() {
		return this.requests != null;
	}

	/**
	 * Sends a command to {@code devices/<device>/commands} at QoS 1 without waiting for
	 * the broker or the device: on MQTT 5 as a request whose reply is awaited on another
	 * thread, below as a plain publish.
	 * @param device the device id
	 * @param command the command text
	 * @return the command as sent
	 */
	public SentCommand send(String device, String command) {
		Entry entry;
		synchronized (this) {
			entry = new Entry(this.nextId++, device, command, this.clock.millis(), requestReply());
			this.recent.addFirst(entry);
			if (this.recent.size() > KEEP) {
				this.recent.removeLast();
			}
		}
		if (this.requests != null) {
			request(entry);
		}
		else {
			publish(entry);
		}
		synchronized (this) {
			return entry.view();
		}
	}

	private void publish(Entry entry) {
		try {
			this.template.publish(topic(entry.device), entry.command, 1, false).whenComplete((ignored, failure) -> {
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
	}

	private void request(Entry entry) {
		try {
			this.requests.execute(() -> awaitReply(entry));
		}
		catch (RejectedExecutionException ex) {
			synchronized (this) {
				entry.failure = "the application is shutting down";
			}
		}
	}

	private void awaitReply(Entry entry) {
		long start = System.nanoTime();
		try {
			CommandReply reply = this.template.convertSendAndReceive(topic(entry.device), entry.command,
					Map.of(MqttHeaders.QOS, 1), CommandReply.class);
			long nanos = System.nanoTime() - start;
			synchronized (this) {
				if (reply == null) {
					entry.failure = "no reply within " + this.template.getReplyTimeout().toMillis() + " ms";
				}
				else {
					entry.repliedAt = this.clock.millis();
					entry.roundTripMillis = Math.round(nanos / 10_000.0) / 100.0;
					entry.reply = reply.result();
				}
			}
		}
		catch (RuntimeException ex) {
			synchronized (this) {
				entry.failure = ex.getMessage();
			}
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

	/** Stops waiting for replies. */
	@Override
	public void close() {
		if (this.requests != null) {
			this.requests.shutdownNow();
		}
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
	 * @param requestReply whether it was sent as an MQTT 5 request, with a reply to come
	 * @param sentAt when it was published
	 * @param acceptedAt when the broker acknowledged it, or {@code null} (followed below
	 * MQTT 5 only)
	 * @param seenAt when the device's telemetry first counted it, or {@code null}
	 * @param repliedAt when the device's reply arrived, or {@code null} (MQTT 5 only)
	 * @param roundTripMillis from publishing the request to its reply, in milliseconds,
	 * or {@code null}
	 * @param reply the device's {@link CommandReply#result() result}, or {@code null}
	 * @param failure why publishing failed or no reply came, or {@code null}
	 */
	public record SentCommand(long id, String device, String topic, String command, boolean requestReply, long sentAt,
			Long acceptedAt, Long seenAt, Long repliedAt, Double roundTripMillis, String reply, String failure) {
	}

	/** Guarded by the enclosing {@code DeviceCommands}. */
	private static final class Entry {

		final long id;

		final String device;

		final String command;

		final long sentAt;

		final boolean requestReply;

		Long acceptedAt;

		Long seenAt;

		Long repliedAt;

		Double roundTripMillis;

		String reply;

		String failure;

		Entry(long id, String device, String command, long sentAt, boolean requestReply) {
			this.id = id;
			this.device = device;
			this.command = command;
			this.sentAt = sentAt;
			this.requestReply = requestReply;
		}

		SentCommand view() {
			return new SentCommand(this.id, this.device, topic(this.device), this.command, this.requestReply,
					this.sentAt, this.acceptedAt, this.seenAt, this.repliedAt, this.roundTripMillis, this.reply,
					this.failure);
		}

	}

}
