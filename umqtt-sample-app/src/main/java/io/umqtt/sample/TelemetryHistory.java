package io.umqtt.sample;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The last minutes of telemetry, for the charts: every reading with the time it arrived,
 * and the message rate once per {@link #advance() tick}. Readings arrive on listener
 * threads through {@link #add}; they join the history at the next tick, so a tick and the
 * history a page loads never overlap. Thread-safe.
 */
public class TelemetryHistory {

	private final Duration window;

	private final Clock clock;

	private final ConcurrentLinkedQueue<TimedReading> arrived = new ConcurrentLinkedQueue<>();

	private final Deque<RatePoint> rate = new ArrayDeque<>();

	private final Map<String, Deque<TimedReading>> readings = new TreeMap<>();

	private long lastTick;

	/**
	 * Creates a new {@code TelemetryHistory}.
	 * @param window how far back the history reaches
	 * @param clock the clock readings and ticks are timed by
	 */
	public TelemetryHistory(Duration window, Clock clock) {
		this.window = window;
		this.clock = clock;
		this.lastTick = clock.millis();
	}

	/** Records a reading that has just arrived. */
	public void add(String device, Reading reading) {
		this.arrived.add(new TimedReading(device, this.clock.millis(), reading.temperature(), reading.humidity(),
				reading.sequence()));
	}

	/**
	 * Moves the readings that arrived since the last tick into the history, records the
	 * rate over that time and forgets what is older than the window.
	 * @return the new tick
	 */
	public synchronized Tick advance() {
		long now = this.clock.millis();
		List<TimedReading> batch = new ArrayList<>();
		for (TimedReading reading = this.arrived.poll(); reading != null; reading = this.arrived.poll()) {
			batch.add(reading);
			this.readings.computeIfAbsent(reading.device(), (id) -> new ArrayDeque<>()).addLast(reading);
		}
		long elapsed = Math.max(1, now - this.lastTick);
		this.lastTick = now;
		double perSecond = Math.round(batch.size() * 10_000.0 / elapsed) / 10.0;
		RatePoint point = new RatePoint(now, perSecond);
		this.rate.addLast(point);
		forgetBefore(now - this.window.toMillis());
		return new Tick(now, perSecond, batch);
	}

	private void forgetBefore(long oldest) {
		while (!this.rate.isEmpty() && this.rate.peekFirst().time() < oldest) {
			this.rate.removeFirst();
		}
		for (Deque<TimedReading> device : this.readings.values()) {
			while (!device.isEmpty() && device.peekFirst().time() < oldest) {
				device.removeFirst();
			}
		}
	}

	/** The history up to the last tick. */
	public synchronized History snapshot() {
		Map<String, List<TimedReading>> copy = new LinkedHashMap<>();
		this.readings.forEach((device, points) -> copy.put(device, List.copyOf(points)));
		return new History(this.window.toMillis(), this.lastTick, List.copyOf(this.rate), copy);
	}

	/**
	 * Messages per second at one tick.
	 *
	 * @param time when, in milliseconds since the epoch
	 * @param perSecond telemetry messages per second since the tick before
	 */
	public record RatePoint(long time, double perSecond) {
	}

	/**
	 * What one tick added to the history.
	 *
	 * @param time when, in milliseconds since the epoch
	 * @param perSecond telemetry messages per second since the tick before
	 * @param readings the readings that arrived since the tick before, oldest first
	 */
	public record Tick(long time, double perSecond, List<TimedReading> readings) {
	}

	/**
	 * The history as the page loads it.
	 *
	 * @param window how far back it reaches, in milliseconds
	 * @param until the time of the last tick it includes
	 * @param rate the message rate at every tick, oldest first
	 * @param readings each device's readings, oldest first, by device id
	 */
	public record History(long window, long until, List<RatePoint> rate, Map<String, List<TimedReading>> readings) {
	}

}
