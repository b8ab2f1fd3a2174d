package io.umqtt.core.delivery;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.umqtt.core.ErrorCallback;
import io.umqtt.core.MqttClientObserver;
import io.umqtt.core.connection.ClientEvents;
import io.umqtt.core.connection.RateLimitedLog;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.topic.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the application is told, off the event loop: the error callback and the connection
 * listeners run on one event thread of their own, whose queue is bounded (events beyond
 * it are dropped and counted); the observer is told what is received and dropped.
 * Receives the connection's {@link ClientEvents} on the event loop.
 */
public final class ApplicationEvents implements ClientEvents {

	private static final Logger logger = LoggerFactory.getLogger("io.umqtt.core.MqttClient");

	/**
	 * Events waiting for the error callback and connection listeners before more are
	 * dropped.
	 */
	public static final int QUEUE_CAPACITY = 1_000;

	private final String clientId;

	private final String address;

	private final ConnectionNews news;

	private final ThreadPoolExecutor eventThread;

	private final AtomicLong droppedEvents = new AtomicLong();

	private final RateLimitedLog droppedEventLog = new RateLimitedLog(logger, Duration.ofSeconds(10));

	private final RateLimitedLog publishFailureLog = new RateLimitedLog(logger, Duration.ofSeconds(10));

	/** QoS 0 messages dropped from the full inbound overflow. */
	private final AtomicLong dropped = new AtomicLong();

	private volatile ErrorCallback errorCallback;

	private volatile MqttClientObserver observer;

	/**
	 * Creates a new {@code ApplicationEvents}.
	 * @param clientId the client's id, for logs and the thread name
	 * @param address {@code host:port}, for logs
	 * @param news where connections made and lost, and refused subscriptions, are told
	 * (on the event thread)
	 */
	public ApplicationEvents(String clientId, String address, ConnectionNews news) {
		this.clientId = clientId;
		this.address = address;
		this.news = news;
		this.eventThread = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
				(runnable) -> {
					Thread thread = new Thread(runnable, "umqtt-events-" + clientId);
					thread.setDaemon(true);
					return thread;
				}, (task, executor) -> eventDropped(executor));
	}

	public void errorCallback(ErrorCallback callback) {
		this.errorCallback = callback;
	}

	public void observer(MqttClientObserver observer) {
		this.observer = observer;
	}

	/** The observer, or {@code null}. */
	public MqttClientObserver observer() {
		return this.observer;
	}

	public long droppedEvents() {
		return this.droppedEvents.get();
	}

	public long droppedMessages() {
		return this.dropped.get();
	}

	/** No more events: the event thread ends once it has run what it has. */
	public void shutdown() {
		this.eventThread.shutdown();
	}

	private void eventDropped(ThreadPoolExecutor executor) {
		if (executor.isShutdown()) {
			logger.debug("'{}' is disconnected: an event for its callbacks is dropped", this.clientId);
			return;
		}
		long count = this.droppedEvents.incrementAndGet();
		this.droppedEventLog.warn(() -> "Event queue of '" + this.clientId + "' is full (" + QUEUE_CAPACITY
				+ " waiting for a slow error callback or connection listener): an event is dropped, " + count
				+ " so far", null);
	}

	/**
	 * Runs {@code task} on the event thread; dropped (and counted) when its queue is
	 * full.
	 */
	public void onEventThread(Runnable task) {
		this.eventThread.execute(task);
	}

	/** Tells the error callback {@code text}, on the event thread. */
	public void tellErrorCallback(String text) {
		ErrorCallback errors = this.errorCallback;
		if (errors != null) {
			onEventThread(() -> callErrorCallback(errors, text));
		}
	}

	/** A publish failed: a rate-limited WARN and the error callback. */
	public void publishFailed(String topic, int qos, String reason, Throwable cause) {
		String text = "Publish to '" + LogSafe.topic(topic) + "' (QoS " + qos + ") failed: " + LogSafe.text(reason);
		this.publishFailureLog.warn(() -> text, cause);
		tellErrorCallback(text);
	}

	/** Delivery stopped for good: the error callback is told, if events still run. */
	public void deliveryStopped(String text) {
		ErrorCallback errors = this.errorCallback;
		if (errors != null && !this.eventThread.isShutdown()) {
			this.eventThread.execute(() -> callErrorCallback(errors, text));
		}
	}

	private void callErrorCallback(ErrorCallback errors, String text) {
		try {
			errors.onError(text);
		}
		catch (Throwable ex) {
			// Errors too: the event thread goes on with the next event
			logger.error("Error callback of '{}' failed on '{}'", this.clientId, LogSafe.text(text), ex);
		}
	}

	@Override
	public void error(String text) {
		if (ErrorCallback.RECONNECT_START.equals(text)) {
			logger.info("Connection of '{}' to {} lost; reconnecting", this.clientId, this.address);
		}
		else if (ErrorCallback.RECONNECT_SUCCESS.equals(text)) {
			logger.info("'{}' reconnected to {}", this.clientId, this.address);
		}
		else {
			logger.warn("Connection of '{}' to {}: {}", this.clientId, this.address, LogSafe.text(text));
		}
		tellErrorCallback(text);
	}

	@Override
	public void connected(boolean sessionPresent, boolean reconnect) {
		logger.debug("'{}' connected to {} (session present: {})", this.clientId, this.address, sessionPresent);
		if (this.news.wanted()) {
			onEventThread(() -> this.news.connected(sessionPresent, reconnect));
		}
	}

	@Override
	public void connectionLost(String reason) {
		logger.debug("'{}' lost its connection to {}: {}", this.clientId, this.address, reason);
		if (this.news.wanted()) {
			onEventThread(() -> this.news.connectionLost(reason));
		}
	}

	@Override
	public void subscriptionRefused(String filter) {
		this.news.refused(filter);
		error("subscribe topic ACK Fail: '" + filter + "'");
		if (this.news.wanted()) {
			onEventThread(() -> this.news.subscriptionRefused(filter));
		}
	}

	@Override
	public void channelError(String text, Throwable cause) {
		logger.debug("Channel error on '{}': {}", this.clientId, LogSafe.text(text), cause);
	}

	@Override
	public void received(Publish publish) {
		MqttClientObserver watching = this.observer;
		if (watching != null) {
			watching.received(publish.qos(), publish.payload().readableBytes());
		}
	}

	@Override
	public void dropped(Publish publish) {
		this.dropped.incrementAndGet();
		MqttClientObserver watching = this.observer;
		if (watching != null) {
			watching.dropped(publish.qos(), publish.payload().readableBytes());
		}
	}

	@Override
	public void overflowDropping(int queued) {
		logger.warn("'{}': {} received messages wait for delivery and an answer from the broker is awaited "
				+ "behind more; QoS 0 messages are dropped until the queue has room", this.clientId, queued);
	}

	@Override
	public void overflowDropped(long count) {
		logger.warn("'{}': {} QoS 0 messages dropped while the inbound queue was full", this.clientId, count);
	}

	/**
	 * Where connection news go: the facade's connection listeners. Called on the event
	 * thread, except {@link #refused} and {@link #wanted} (event loop).
	 */
	public interface ConnectionNews {

		/** Whether any listener wants the news (else no task is queued for them). */
		boolean wanted();

		/** A filter the broker refused in a renewal; called on the event loop. */
		void refused(String filter);

		void connected(boolean sessionPresent, boolean reconnect);

		void connectionLost(String reason);

		void subscriptionRefused(String filter);

	}

}
