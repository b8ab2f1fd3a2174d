package io.umqtt.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The server-sent events behind the live page. A page that connects first gets a
 * {@code history} event (the last minutes of telemetry and the state now), then an
 * {@code update} event every second (the readings that arrived since the one before, the
 * message rate, and the state). No reading is in both the history and an update, and none
 * falls between them. When the application shuts down it ends every stream, so an open
 * page never holds up a graceful shutdown.
 */
public class LiveFeed implements ApplicationListener<ContextClosedEvent> {

	private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

	private final TelemetryHistory history;

	private final DeviceRegistry registry;

	private final DeviceCommands commands;

	private final SampleConnection connection;

	private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();

	/** Orders a new page's history against the ticks. */
	private final Object ticks = new Object();

	public LiveFeed(TelemetryHistory history, DeviceRegistry registry, DeviceCommands commands,
			SampleConnection connection) {
		this.history = history;
		this.registry = registry;
		this.commands = commands;
		this.connection = connection;
	}

	/** A new event stream, starting with the history. */
	public SseEmitter open() {
		SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
		emitter.onCompletion(() -> this.emitters.remove(emitter));
		emitter.onTimeout(() -> this.emitters.remove(emitter));
		emitter.onError((ex) -> this.emitters.remove(emitter));
		synchronized (this.ticks) {
			// not yet handed to the servlet container: this send is only queued
			send(emitter, "history", new HistoryEvent(this.history.snapshot(), state()));
			this.emitters.add(emitter);
		}
		return emitter;
	}

	/** The state now: connection, devices and the latest commands. */
	public LiveState state() {
		return new LiveState(this.connection.view(), this.registry.received(), this.registry.devices(),
				this.commands.recent());
	}

	@Scheduled(fixedRate = 1000)
	void tick() {
		TelemetryHistory.Tick tick;
		List<SseEmitter> targets;
		synchronized (this.ticks) {
			tick = this.history.advance();
			targets = List.copyOf(this.emitters);
		}
		UpdateEvent update = new UpdateEvent(tick, state());
		for (SseEmitter emitter : targets) {
			send(emitter, "update", update);
		}
	}

	/**
	 * Ends every stream: the ticks stop when the context closes, and without them a page
	 * that went away unnoticed would keep its request open until the graceful shutdown
	 * times out.
	 */
	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		synchronized (this.ticks) {
			this.emitters.forEach(SseEmitter::complete);
			this.emitters.clear();
		}
	}

	private void send(SseEmitter emitter, String name, Object data) {
		try {
			emitter.send(SseEmitter.event().name(name).data(data));
		}
		catch (IOException | IllegalStateException ex) {
			// the page went away
			this.emitters.remove(emitter);
		}
	}

	/**
	 * What the page shows besides the charts.
	 *
	 * @param connection the application's MQTT connection
	 * @param received telemetry messages received since start
	 * @param devices every device seen
	 * @param commands the latest commands, newest first
	 */
	public record LiveState(ConnectionView connection, long received, List<DeviceRegistry.DeviceView> devices,
			List<DeviceCommands.SentCommand> commands) {
	}

	/**
	 * The first event of a stream.
	 *
	 * @param history the last minutes of telemetry
	 * @param state the state now
	 */
	public record HistoryEvent(TelemetryHistory.History history, LiveState state) {
	}

	/**
	 * The event of every second.
	 *
	 * @param tick what arrived since the event before
	 * @param state the state now
	 */
	public record UpdateEvent(TelemetryHistory.Tick tick, LiveState state) {
	}

}
