package io.umqtt.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoopGroup;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.codec.WireFormat;
import io.umqtt.core.netty.Backoff;
import io.umqtt.core.netty.Transport;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.packet.QoS;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.packet.Subscription;
import io.umqtt.core.packet.Will;
import io.umqtt.core.session.InboundDelivery;
import io.umqtt.core.session.InflightWindow;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.topic.LogSafe;
import io.umqtt.core.topic.SubscriptionTree;
import io.umqtt.core.topic.TopicFilter;
import io.umqtt.core.topic.TopicName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 3.1 / 3.1.1 connection, with every function of the QuecPython {@code umqtt} module
 * under its camelCase name, QoS 0, 1 and 2 throughout, and internal reconnection.
 * <p>
 * Thread-safe: any thread may publish, subscribe or deliver. The network runs on a Netty event
 * loop; messages are handed to the application in the thread that calls {@link #waitMsg()} or
 * {@link #checkMsg()} (or on the client's own dispatch thread when built with
 * {@link Builder#dispatchThread(boolean)}), and a received QoS 1 or 2 message is acknowledged
 * after its callback returns. The error callback runs on a thread of its own, so it may call
 * {@link #close()}, {@link #connect()} and {@link #subscribe(String, int)}.
 * <p>
 * What it does beyond the reference is described in the README ("Behaviour").
 */
public final class MqttClient {

	private static final Logger logger = LoggerFactory.getLogger(MqttClient.class);

	private static final int MAX_TOPIC_OVERHEAD = 2 + 65_535 + 2;

	/** Events waiting for the error callback and connection listeners before more are dropped. */
	static final int EVENT_QUEUE_CAPACITY = 1_000;

	private final java.util.concurrent.atomic.AtomicLong droppedEvents = new java.util.concurrent.atomic.AtomicLong();

	private final RateLimitedLog droppedEventLog = new RateLimitedLog(logger, Duration.ofSeconds(10));

	private final RateLimitedLog publishFailureLog = new RateLimitedLog(logger, Duration.ofSeconds(10));

	private final ClientConfig config;

	private final EventLoopGroup group;

	private final boolean sharedGroup;

	private final InboundQueue inbound;

	private final ClientEngine engine;

	private final InflightWindow window;

	private final Semaphore outboundSlots;

	/** Messages handed to asynchronous listeners and not yet handled. */
	private final Semaphore asyncDeliveries;

	private final ThreadPoolExecutor eventThread;

	private final SubscriptionTree<MqttMessageListener> routes = new SubscriptionTree<>();

	private final java.util.Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private volatile MessageCallback callback;

	private volatile MqttMessageListener messageListener;

	private volatile ErrorCallback errorCallback;

	private volatile LastWill lastWill;

	private volatile MqttClientObserver observer;

	private final List<MqttConnectionListener> connectionListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

	private volatile boolean disconnected;

	/** Why messages can no longer be delivered, or {@code null} while they can. */
	private volatile String deliveryFailure;

	/** QoS 1 and 2 (and QoS 0) messages that matched no listener while no callback was set. */
	private final java.util.concurrent.atomic.AtomicLong unhandled = new java.util.concurrent.atomic.AtomicLong();

	/** QoS 0 messages dropped from the full inbound overflow. */
	private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();

	private Thread dispatcher;

	/**
	 * A client for {@code server} on port 1883, no user, keep-alive off.
	 * @param clientId client identifier; may be empty
	 * @param server host name or address
	 */
	public MqttClient(String clientId, String server) {
		this(builder(clientId, server).config());
	}

	/**
	 * A client for {@code server:port}.
	 * @param clientId client identifier; may be empty
	 * @param server host name or address
	 * @param port port; 0 means 1883
	 */
	public MqttClient(String clientId, String server, int port) {
		this(builder(clientId, server).port(port).config());
	}

	/**
	 * A client with user name, password and keep-alive.
	 * @param clientId client identifier; may be empty
	 * @param server host name or address
	 * @param port port; 0 means 1883
	 * @param user user name, or {@code null}
	 * @param password password, or {@code null}
	 * @param keepalive keep-alive in seconds, 0 (off) to 65,535
	 */
	public MqttClient(String clientId, String server, int port, String user, String password, int keepalive) {
		this(builder(clientId, server).port(port).user(user).password(password).keepalive(keepalive).config());
	}

	private MqttClient(ClientConfig config) {
		this.config = config;
		this.sharedGroup = config.eventLoopGroup() == null;
		this.group = this.sharedGroup ? Transport.acquireShared() : config.eventLoopGroup();
		this.inbound = new InboundQueue(config.inboundQueueCapacity(), config.inboundQueueBytes());
		this.window = new InflightWindow(config.maxInflight());
		this.outboundSlots = new Semaphore(config.outboundQueueCapacity());
		this.asyncDeliveries = new Semaphore(config.inboundQueueCapacity());
		this.eventThread = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
				new java.util.concurrent.ArrayBlockingQueue<>(EVENT_QUEUE_CAPACITY), (runnable) -> {
					Thread thread = new Thread(runnable, "umqtt-events-" + config.clientId());
					thread.setDaemon(true);
					return thread;
				}, (task, executor) -> eventDropped(executor));
		try {
			this.engine = new ClientEngine(config, this.group.next(), this.inbound, new Events());
		}
		catch (RuntimeException | Error ex) {
			// nothing else holds the shared I/O threads for this client
			this.eventThread.shutdown();
			if (this.sharedGroup) {
				Transport.releaseShared();
			}
			throw ex;
		}
	}

	/** A task for the event thread found its queue full, or the client disconnected. */
	private void eventDropped(ThreadPoolExecutor executor) {
		if (executor.isShutdown()) {
			logger.debug("'{}' is disconnected: an event for its callbacks is dropped", this.config.clientId());
			return;
		}
		long dropped = this.droppedEvents.incrementAndGet();
		this.droppedEventLog.warn(() -> "Event queue of '" + this.config.clientId() + "' is full ("
				+ EVENT_QUEUE_CAPACITY + " waiting for a slow error callback or connection listener): an event is "
				+ "dropped, " + dropped + " so far", null);
	}

	/** Runs {@code task} on the event thread; dropped (and counted) when its queue is full. */
	private void onEventThread(Runnable task) {
		this.eventThread.execute(task);
	}

	/**
	 * A builder with one setter per parameter of the reference's {@code MQTTClient(...)}, and
	 * umqtt's own settings.
	 * @param clientId client identifier; may be empty
	 * @param server host name or address
	 * @return the builder
	 */
	public static Builder builder(String clientId, String server) {
		return new Builder(clientId, server);
	}

	// ---- callbacks and will ----

	/**
	 * Sets the function that receives messages: topic and payload.
	 * @param callback the callback, or {@code null} to remove it
	 */
	public void setCallback(MessageCallback callback) {
		this.callback = callback;
		if (callback != null) {
			this.messageListener = null;
		}
	}

	/**
	 * Sets the function that receives whole messages (QoS, retain, dup, id).
	 * @param listener the listener, or {@code null} to remove it
	 */
	public void setCallback(MqttMessageListener listener) {
		this.messageListener = listener;
		if (listener != null) {
			this.callback = null;
		}
	}

	/**
	 * Sets the function told about reconnection ({@code "reconnect_start"},
	 * {@code "reconnect_success"}) and errors of the connection (their text).
	 * @param callback the callback, or {@code null}
	 */
	public void errorRegisterCb(ErrorCallback callback) {
		this.errorCallback = callback;
	}

	/** Sets the last will, QoS 0, not retained; it takes effect at the next {@code connect()}. */
	public void setLastWill(String topic, String msg) {
		setLastWill(topic, msg, false, 0);
	}

	/** Sets the last will, QoS 0, not retained; it takes effect at the next {@code connect()}. */
	public void setLastWill(String topic, byte[] msg) {
		setLastWill(topic, msg, false, 0);
	}

	/**
	 * Sets the last will the broker publishes if the connection ends without {@code disconnect()}.
	 * Takes effect at the next {@code connect()}.
	 * @param topic a topic name
	 * @param msg the message
	 * @param retain whether the broker retains it
	 * @param qos 0, 1 or 2
	 */
	public void setLastWill(String topic, String msg, boolean retain, int qos) {
		setLastWill(topic, Objects.requireNonNull(msg, "msg").getBytes(StandardCharsets.UTF_8), retain, qos);
	}

	/**
	 * Sets the last will the broker publishes if the connection ends without {@code disconnect()}.
	 * Takes effect at the next {@code connect()}.
	 * @param topic a topic name
	 * @param msg the message
	 * @param retain whether the broker retains it
	 * @param qos 0, 1 or 2
	 */
	public void setLastWill(String topic, byte[] msg, boolean retain, int qos) {
		this.lastWill = new LastWill(topic, msg.clone(), retain, qos);
	}

	/** The last will set, or {@code null}. */
	public LastWill lastWill() {
		return this.lastWill;
	}

	// ---- connection ----

	/**
	 * Connects with a clean session.
	 * @return 0
	 * @throws MqttException when the connection fails or is refused ({@link MqttException#returnCode()})
	 */
	public int connect() {
		return connect(true);
	}

	/**
	 * Connects to the broker and waits for its CONNACK, up to the connect timeout.
	 * @param cleanSession whether the broker starts a new session (true) or resumes the stored one
	 * @return 0 on success
	 * @throws MqttException when the connection fails or is refused ({@link MqttException#returnCode()})
	 */
	public int connect(boolean cleanSession) {
		checkNotOnEventLoop("connect");
		checkNotDisconnected();
		checkClientIdAllows(cleanSession);
		applyWill();
		CompletableFuture<Boolean> result = this.engine.connect(cleanSession);
		awaitOrThrow(result, this.config.connectTimeout().plusSeconds(1), "Connecting to " + this.config.address(),
				"Timed out connecting to " + this.config.address());
		startDispatcherIfWanted();
		return 0;
	}

	/**
	 * Connects without blocking. With internal reconnection on, failed attempts are retried with
	 * the reconnect back-off until one succeeds (status 1 meanwhile); CONNACK refusals 1, 2, 4
	 * and 5 end the attempts, as do {@link #close()} and {@link #disconnect()}.
	 * @param cleanSession the clean session flag
	 * @return completes when connected; fails with {@link MqttException} when it cannot
	 */
	public CompletableFuture<Void> connectAsync(boolean cleanSession) {
		checkNotDisconnected();
		checkClientIdAllows(cleanSession);
		applyWill();
		CompletableFuture<Boolean> result = this.config.reconn() ? this.engine.connectInBackground(cleanSession)
				: this.engine.connect(cleanSession);
		return result.thenRun(this::startDispatcherIfWanted);
	}

	/**
	 * Sets the observer told what this client publishes and receives (for metrics); {@code null}
	 * removes it. With an observer each publish costs a timestamp and a completion stage more.
	 * @param observer the observer
	 */
	public void setObserver(MqttClientObserver observer) {
		this.observer = observer;
	}

	/**
	 * Adds a listener told about connections made and lost, on the client's event thread.
	 * @param listener the listener
	 */
	public void addConnectionListener(MqttConnectionListener listener) {
		this.connectionListeners.add(Objects.requireNonNull(listener, "listener"));
	}

	/** Hands the will set now to the engine; it goes into the next CONNECT. */
	private void applyWill() {
		LastWill will = this.lastWill;
		this.engine.setWill((will != null) ? new Will(will.topic(), will.message(), will.qos(), will.retain()) : null);
	}

	/** Whether this client has had a connection accepted at least once. */
	public boolean hasBeenConnected() {
		return this.engine.everConnected();
	}

	/** Whether the broker resumed a stored session at the last connect. */
	public boolean isSessionPresent() {
		return this.engine.sessionPresent();
	}

	/**
	 * Sends DISCONNECT and releases everything: connection, timers, threads, buffers. Messages
	 * still in flight fail. Final: make a new client to connect again.
	 */
	public void disconnect() {
		disconnect(Duration.ZERO);
	}

	/**
	 * Waits up to {@code drainTimeout} for messages in flight to be acknowledged, then
	 * disconnects as {@link #disconnect()} does.
	 * @param drainTimeout how long to wait for in-flight messages
	 */
	public void disconnect(Duration drainTimeout) {
		synchronized (this) {
			if (this.disconnected) {
				return;
			}
			this.disconnected = true;
		}
		if (this.engine.loop().inEventLoop()) {
			// Called from a stage of one of this client's futures: waiting here would block the
			// thread the disconnect runs on. Start it, and release the rest once it is done.
			if (!drainTimeout.isZero()) {
				logger.debug("disconnect() of '{}' on its network thread: not waiting for messages in flight",
						this.config.clientId());
			}
			this.engine.disconnect().whenComplete((ignored, failure) -> release());
			return;
		}
		if (!drainTimeout.isZero() && this.engine.status() == MqttStatus.CONNECTED) {
			await(this.engine.whenIdle(), drainTimeout);
		}
		await(this.engine.disconnect(), Duration.ofSeconds(5));
		release();
	}

	/** What {@code disconnect()} frees once the connection is gone. */
	private void release() {
		this.inbound.failForever(new MqttException("The client is disconnected"));
		for (InboundDelivery leftover : this.inbound.drainAll()) {
			leftover.publish().payload().release();
		}
		Thread dispatch;
		synchronized (this) {
			dispatch = this.dispatcher;
		}
		if (dispatch != null && dispatch != Thread.currentThread() && !this.engine.loop().inEventLoop()) {
			try {
				dispatch.join(1_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.eventThread.shutdown();
		this.config.sessionStore().close();
		if (this.sharedGroup) {
			Transport.releaseShared();
		}
	}

	/**
	 * Drops the socket without DISCONNECT (so the broker publishes the will) and stops internal
	 * reconnection; everything else stays, so {@link #connect()} may be called again: the
	 * reference's external reconnection.
	 */
	public void close() {
		checkNotOnEventLoop("close");
		if (this.disconnected) {
			return;
		}
		await(this.engine.close(), Duration.ofSeconds(5));
	}

	/**
	 * Replaces the TLS material (a renewed certificate, say): the current connection is dropped
	 * and internal reconnection connects again with the new material.
	 * @param sslParams the new trust material and client certificate
	 * @throws MqttException when the client does not use TLS, or the material cannot be used
	 */
	public void reloadSsl(SslParams sslParams) {
		if (!this.config.ssl()) {
			throw new MqttException("Client '" + this.config.clientId() + "' does not use TLS");
		}
		checkNotDisconnected();
		this.engine.reloadSsl(Objects.requireNonNull(sslParams, "sslParams"));
	}

	/** Sends PINGREQ; does nothing when keep-alive is 0, as in the reference. */
	public void ping() {
		if (this.config.keepalive() > 0 && !this.disconnected) {
			this.engine.ping();
		}
	}

	/** The connection status: 0 connected, 1 connecting, 2 server closed, -1 error or disconnected. */
	public int getMqttsta() {
		return status().code();
	}

	/**
	 * The connection status as an enum. {@code ERROR} also when messages can no longer be
	 * delivered (the dispatch thread ended); {@link #lastError()} then says why.
	 */
	public MqttStatus status() {
		return (this.disconnected || this.deliveryFailure != null) ? MqttStatus.ERROR : this.engine.status();
	}

	// ---- publishing ----

	/** Publishes with QoS 0, not retained. */
	public boolean publish(String topic, String msg) {
		return publish(topic, msg, false, 0);
	}

	/** Publishes with QoS 0, not retained. */
	public boolean publish(String topic, byte[] msg) {
		return publish(topic, msg, false, 0);
	}

	/** Publishes a UTF-8 string; see {@link #publish(String, byte[], boolean, int)}. */
	public boolean publish(String topic, String msg, boolean retain, int qos) {
		return publish(topic, Objects.requireNonNull(msg, "msg").getBytes(StandardCharsets.UTF_8), retain, qos);
	}

	/**
	 * Publishes and waits: QoS 0 until written, QoS 1 until PUBACK, QoS 2 until PUBCOMP, each up to
	 * the publish timeout. A full in-flight window makes this wait for room.
	 * @param topic a topic name, no wildcards
	 * @param msg the payload; not copied, so leave it unchanged until this returns
	 * @param retain whether the broker retains it
	 * @param qos 0, 1 or 2
	 * @return true when delivered as the QoS promises; false when not confirmed in time or failed,
	 * with the reason logged and passed to the error callback. A QoS 1 or 2 message not confirmed
	 * in time stays with the client, which goes on delivering it.
	 * @throws IllegalArgumentException for an invalid topic, QoS or oversized message
	 */
	public boolean publish(String topic, byte[] msg, boolean retain, int qos) {
		checkNotOnEventLoop("publish");
		// The acknowledgement is read even while delivery is paused (see InboundQueue), so a
		// listener may block here.
		try {
			publishAsync(topic, msg, retain, qos).get(this.config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			reportPublishFailure(topic, qos, ex.getCause().getMessage(), ex.getCause());
			return false;
		}
		catch (TimeoutException ex) {
			reportPublishFailure(topic, qos, "not confirmed within " + this.config.publishTimeout().toMillis() + " ms",
					null);
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			reportPublishFailure(topic, qos, "interrupted", ex);
			return false;
		}
	}

	private void reportPublishFailure(String topic, int qos, String reason, Throwable cause) {
		String text = "Publish to '" + LogSafe.topic(topic) + "' (QoS " + qos + ") failed: " + LogSafe.text(reason);
		this.publishFailureLog.warn(() -> text, cause);
		ErrorCallback errors = this.errorCallback;
		if (errors != null) {
			onEventThread(() -> callErrorCallback(errors, text));
		}
	}

	/** Publishes a UTF-8 string without waiting; see {@link #publishAsync(String, byte[], boolean, int)}. */
	public CompletableFuture<Void> publishAsync(String topic, String msg, boolean retain, int qos) {
		return publishAsync(topic, Objects.requireNonNull(msg, "msg").getBytes(StandardCharsets.UTF_8), retain, qos);
	}

	/**
	 * Publishes without waiting for the broker: the high-throughput form. The caller waits only for
	 * room: in the in-flight window (QoS 1 and 2) and in the queue to the network.
	 * <p>
	 * The future completes on the event loop; chain blocking work with the {@code ...Async}
	 * methods of {@link CompletableFuture}.
	 * @param topic a topic name, no wildcards
	 * @param msg the payload; not copied, so leave it unchanged until the future completes
	 * @param retain whether the broker retains it
	 * @param qos 0, 1 or 2
	 * @return completes when written (QoS 0), at PUBACK (QoS 1) or PUBCOMP (QoS 2); fails with
	 * {@link MqttException} otherwise
	 * @throws IllegalArgumentException for an invalid topic, QoS or oversized message
	 */
	public CompletableFuture<Void> publishAsync(String topic, byte[] msg, boolean retain, int qos) {
		TopicName.check(topic);
		QoS.check(qos);
		Objects.requireNonNull(msg, "msg");
		if (msg.length > WireFormat.MAX_REMAINING_LENGTH - MAX_TOPIC_OVERHEAD) {
			throw new IllegalArgumentException("Message of " + msg.length + " bytes is larger than MQTT allows");
		}
		if (this.config.maxOutgoingPacketSize() <= WireFormat.MAX_REMAINING_LENGTH) {
			long packet = publishPacketSize(topic, msg.length, qos);
			if (packet > this.config.maxOutgoingPacketSize()) {
				throw new IllegalArgumentException("PUBLISH to '" + LogSafe.topic(topic) + "' would be " + packet
						+ " bytes, over maxOutgoingPacketSize " + this.config.maxOutgoingPacketSize());
			}
		}
		// the future returned is the message's completion, which cannot reach the message
		OutgoingMessage message = new OutgoingMessage(topic, qos, retain, msg);
		CompletableFuture<Void> completion = message.completion();
		MqttClientObserver watching = this.observer;
		if (watching != null) {
			watching.publishing(qos, msg.length);
			long start = System.nanoTime();
			completion.whenComplete((ignored, failure) -> {
				if (failure == null) {
					watching.published(qos, System.nanoTime() - start);
				}
				else {
					watching.publishFailed(qos);
				}
			});
		}
		if (this.disconnected) {
			completion.completeExceptionally(new MqttException("The client is disconnected"));
			return completion;
		}
		boolean onLoop = this.engine.loop().inEventLoop();
		if (!take(this.outboundSlots, onLoop)) {
			completion.completeExceptionally(new MqttException("No room in the queue to the network ("
					+ this.config.outboundQueueCapacity() + " messages) within the publish timeout"));
			return completion;
		}
		if (qos > 0) {
			boolean slot;
			try {
				slot = onLoop ? this.window.tryAcquire() : this.window.acquire(this.config.publishTimeout());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				slot = false;
			}
			if (!slot) {
				this.outboundSlots.release();
				completion.completeExceptionally(new MqttException("No room in the in-flight window ("
						+ this.config.maxInflight() + " messages) within the publish timeout"));
				return completion;
			}
		}
		// the session gives the window slot back when the message completes or fails
		this.engine.submit((qos > 0) ? message.holding(this.window) : message);
		return completion;
	}

	/** The size of a PUBLISH packet: fixed header, topic, packet id and payload. */
	private static long publishPacketSize(String topic, int payload, int qos) {
		long remaining = 2L + io.umqtt.core.topic.Utf8.encodedLength(topic) + ((qos > 0) ? 2 : 0) + payload;
		int lengthBytes = (remaining < 128) ? 1 : (remaining < 16_384) ? 2 : (remaining < 2_097_152) ? 3 : 4;
		return 1 + lengthBytes + remaining;
	}

	private boolean take(Semaphore slots, boolean onLoop) {
		if (onLoop) {
			return slots.tryAcquire();
		}
		try {
			return slots.tryAcquire(this.config.publishTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	// ---- subscribing ----

	/** Subscribes with QoS 0; see {@link #subscribe(String, int)}. */
	public int subscribe(String topic) {
		return subscribe(topic, 0);
	}

	/**
	 * Subscribes and waits for the SUBACK, up to the publish timeout. Messages for the filter go
	 * to the callback set with {@code setCallback}. The subscription is renewed, with its QoS,
	 * when a reconnect finds the broker without the session.
	 * @param topic a topic filter ({@code +} and {@code #} allowed, {@code $share/group/...} too)
	 * @param qos the maximum QoS wanted
	 * @return the QoS the broker granted
	 * @throws MqttException when the broker refuses (return code {@code 0x80}) or does not answer
	 */
	public int subscribe(String topic, int qos) {
		return subscribe(topic, qos, null);
	}

	/**
	 * Subscribes and routes the messages matching {@code topic} to {@code listener} rather than to
	 * the callback.
	 * @param topic a topic filter
	 * @param qos the maximum QoS wanted
	 * @param listener where the filter's messages go; {@code null} for the callback
	 * @return the QoS the broker granted
	 * @throws MqttException when the broker refuses or does not answer
	 */
	public int subscribe(String topic, int qos, MqttMessageListener listener) {
		checkNotOnEventLoop("subscribe");
		CompletableFuture<Integer> granted = subscribeAsync(topic, qos, listener);
		try {
			return awaitOrThrow(granted, this.config.publishTimeout(), "Subscribing to '" + LogSafe.topic(topic) + "'",
					"No SUBACK for '" + LogSafe.topic(topic) + "' within " + this.config.publishTimeout().toMillis() + " ms");
		}
		catch (MqttException ex) {
			// gives the filter's listener up, also after a timeout
			granted.cancel(false);
			throw ex;
		}
	}

	/**
	 * Subscribes without waiting.
	 * @param topic a topic filter
	 * @param qos the maximum QoS wanted
	 * @param listener where the filter's messages go; {@code null} for the callback
	 * @return completes with the granted QoS; fails with {@link MqttException} (return code
	 * {@code 0x80}) when refused
	 */
	public CompletableFuture<Integer> subscribeAsync(String topic, int qos, MqttMessageListener listener) {
		TopicFilter.check(topic);
		QoS.check(qos);
		checkNotDisconnected();
		if (listener != null) {
			// Before the SUBSCRIBE: retained messages may arrive ahead of the SUBACK.
			this.routes.add(topic, listener);
		}
		CompletableFuture<List<Integer>> codes = this.engine.subscribe(List.of(new Subscription(topic, qos)));
		CompletableFuture<Integer> granted = codes.thenApply((list) -> {
			int code = list.get(0);
			if (code == SubAck.FAILURE) {
				throw new MqttException("The broker refused the subscription to '" + LogSafe.topic(topic) + "'",
						SubAck.FAILURE, null);
			}
			return code;
		});
		granted.whenComplete((code, failure) -> {
			if (failure == null) {
				this.refused.remove(topic);
			}
			else if (failure.getCause() instanceof MqttException refusal && refusal.returnCode() == SubAck.FAILURE) {
				this.refused.add(topic);
			}
			if (failure != null) {
				if (listener != null) {
					this.routes.remove(topic, listener);
				}
				this.engine.abandonSubscribe(codes);
			}
		});
		return granted;
	}

	/**
	 * Unsubscribes and waits for the UNSUBACK, up to the publish timeout. The listeners registered
	 * for the filter now are removed once the UNSUBACK has arrived and the messages received
	 * before it have been delivered to them: none of those is left without its listener.
	 * @param topic the filter as it was subscribed
	 */
	public void unsubscribe(String topic) {
		checkNotOnEventLoop("unsubscribe");
		TopicFilter.check(topic);
		checkNotDisconnected();
		List<MqttMessageListener> leaving = this.routes.registered(topic);
		Runnable routeChange = () -> leaving.forEach((listener) -> this.routes.remove(topic, listener));
		awaitOrThrow(this.engine.unsubscribe(List.of(topic), routeChange), this.config.publishTimeout(),
				"Unsubscribing from '" + LogSafe.topic(topic) + "'",
				"No UNSUBACK for '" + LogSafe.topic(topic) + "' within " + this.config.publishTimeout().toMillis() + " ms");
	}

	/** The filters the broker refused (SUBACK 0x80) and that were not granted since. */
	public java.util.Set<String> refusedSubscriptions() {
		return java.util.Set.copyOf(this.refused);
	}

	/** The subscriptions the broker granted, filter to QoS. */
	public Map<String, Integer> subscriptions() {
		return this.disconnected ? Map.of() : this.engine.subscriptions();
	}

	// ---- receiving ----

	/**
	 * Delivers, in this thread, every message that has arrived, without waiting for more.
	 */
	public void checkMsg() {
		checkNotOnEventLoop("checkMsg");
		int available = this.inbound.size();
		for (int i = 0; i < available; i++) {
			InboundDelivery next = this.inbound.poll();
			if (next == null) {
				break;
			}
			deliver(next);
		}
		this.engine.readerProgressed();
	}

	/**
	 * Waits for a message and delivers it in this thread. With internal reconnection it keeps
	 * waiting across reconnects.
	 * @throws MqttException when the connection was lost and will not come back by itself
	 * (reported once), or the client is disconnected
	 */
	public void waitMsg() {
		checkNotOnEventLoop("waitMsg");
		try {
			deliver(this.inbound.take(-1));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MqttException("Interrupted while waiting for a message", ex);
		}
		finally {
			this.engine.readerProgressed();
		}
	}

	/**
	 * Waits up to {@code timeout} for a message and delivers it in this thread.
	 * @param timeout how long to wait
	 * @return whether a message was delivered
	 * @throws MqttException as {@link #waitMsg()} does
	 */
	public boolean waitMsg(Duration timeout) {
		checkNotOnEventLoop("waitMsg");
		try {
			InboundDelivery next = this.inbound.take(timeout.toNanos());
			if (next == null) {
				return false;
			}
			deliver(next);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MqttException("Interrupted while waiting for a message", ex);
		}
		finally {
			this.engine.readerProgressed();
		}
	}

	private void deliver(InboundDelivery delivery) {
		Publish publish = delivery.publish();
		Handed pending;
		try {
			byte[] payload;
			try {
				payload = ByteBufUtil.getBytes(publish.payload());
			}
			finally {
				publish.payload().release();
			}
			pending = dispatch(publish, payload);
		}
		catch (MessageNotHandledException ex) {
			declined(delivery, ex);
			return;
		}
		catch (Throwable ex) {
			// any failure of application code, Errors too: delivery goes on with the next message
			logger.error("Message callback failed for a message on '{}' (QoS {}); the message is acknowledged",
					LogSafe.topic(publish.topic()), publish.qos(), ex);
			pending = null;
		}
		if (pending == null) {
			this.engine.acknowledge(delivery);
			return;
		}
		if (pending == NOBODY) {
			unhandled(delivery);
			return;
		}
		int permits = pending.permits();
		// one callback per message: gives the asynchronous-delivery slots back and acknowledges
		pending.done().whenComplete((ignored, failure) -> {
			this.asyncDeliveries.release(permits);
			Throwable cause = (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			if (cause instanceof MessageNotHandledException declined) {
				declined(delivery, declined);
				return;
			}
			if (failure != null) {
				logger.error("Asynchronous listener failed for a message on '{}' (QoS {}); the message is "
						+ "acknowledged", LogSafe.topic(publish.topic()), publish.qos(), failure);
			}
			this.engine.acknowledge(delivery);
		});
	}

	/**
	 * No listener matched and no callback is set. A QoS 1 or 2 message is left unacknowledged on
	 * a persistent session, for the broker to send again on the next connection; on a clean
	 * session the broker cannot, so it is acknowledged. Never silently: a warning and a count.
	 */
	private void unhandled(InboundDelivery delivery) {
		Publish publish = delivery.publish();
		boolean keep = publish.qos() > 0 && !this.engine.cleanSession();
		this.unhandled.incrementAndGet();
		observeUnhandled(publish.qos(), !keep);
		if (publish.qos() == 0) {
			logger.debug("No listener or callback for a message on '{}' (QoS 0): dropped", LogSafe.topic(publish.topic()));
		}
		else if (keep) {
			logger.warn("No listener or callback for a message on '{}' (QoS {}): left unacknowledged, so the "
					+ "broker sends it again on the next connection", LogSafe.topic(publish.topic()), publish.qos());
			delivery.markUnhandled();
		}
		else {
			logger.warn("No listener or callback for a message on '{}' (QoS {}): acknowledged and dropped (clean "
					+ "session: the broker cannot send it again)", LogSafe.topic(publish.topic()), publish.qos());
		}
		this.engine.acknowledge(delivery);
	}

	/**
	 * A listener {@linkplain MessageNotHandledException declined} the message: a QoS 1 or 2 one is
	 * never acknowledged, on any session; the messages after it still are.
	 */
	private void declined(InboundDelivery delivery, MessageNotHandledException reason) {
		Publish publish = delivery.publish();
		this.unhandled.incrementAndGet();
		observeUnhandled(publish.qos(), false);
		if (publish.qos() > 0) {
			logger.warn("A listener did not handle a message on '{}' (QoS {}): left unacknowledged ({})",
					LogSafe.topic(publish.topic()), publish.qos(), LogSafe.text(String.valueOf(reason.getMessage())));
			delivery.markUnhandled();
		}
		this.engine.acknowledge(delivery);
	}

	/** Tells the observer; an observer that fails is logged and never stops delivery. */
	private void observeUnhandled(int qos, boolean acknowledged) {
		MqttClientObserver watching = this.observer;
		if (watching == null) {
			return;
		}
		try {
			watching.unhandled(qos, acknowledged);
		}
		catch (Throwable ex) {
			logger.error("Client observer of '{}' failed", this.config.clientId(), ex);
		}
	}

	/** What {@link #dispatch} returns when nothing could take the message. */
	private static final Handed NOBODY = new Handed(null, 0);

	/** Asynchronous listeners took a message: done when they have handled it, holding {@code permits} slots. */
	private record Handed(java.util.concurrent.CompletableFuture<?> done, int permits) {
	}

	/**
	 * Hands the message to its listeners.
	 * @return when asynchronous listeners took it, what completes once they have handled it and the
	 * delivery slots they hold; {@link #NOBODY} when nothing could take it; otherwise
	 * {@code null}: handled already
	 */
	private Handed dispatch(Publish publish, byte[] payload) {
		if (!this.routes.isEmpty()) {
			List<MqttMessageListener> listeners = this.routes.match(publish.topic());
			if (listeners.size() == 1 && listeners.get(0) instanceof AsyncMqttMessageListener async) {
				// the usual case of one subscription: its completion is the message's
				return new Handed(handAsync(async, toMessage(publish, payload)), 1);
			}
			if (!listeners.isEmpty()) {
				MqttMessage message = toMessage(publish, payload);
				List<java.util.concurrent.CompletableFuture<?>> handled = null;
				for (MqttMessageListener listener : listeners) {
					try {
						if (listener instanceof AsyncMqttMessageListener async) {
							java.util.concurrent.CompletableFuture<?> taken = handAsync(async, message);
							if (handled == null) {
								handled = new java.util.ArrayList<>(listeners.size());
							}
							handled.add(taken);
						}
						else {
							listener.onMessage(message);
						}
					}
					catch (Throwable ex) {
						// one failing listener (Errors too) does not keep the message from the others
						logger.error("Message listener failed for a message on '{}' (QoS {}); the other listeners "
								+ "still get it", LogSafe.topic(publish.topic()), publish.qos(), ex);
					}
				}
				return (handled != null) ? new Handed(java.util.concurrent.CompletableFuture
					.allOf(handled.toArray(new java.util.concurrent.CompletableFuture<?>[0])), handled.size()) : null;
			}
		}
		MqttMessageListener listener = this.messageListener;
		if (listener != null) {
			if (listener instanceof AsyncMqttMessageListener async) {
				return new Handed(handAsync(async, toMessage(publish, payload)), 1);
			}
			listener.onMessage(toMessage(publish, payload));
			return null;
		}
		MessageCallback target = this.callback;
		if (target == null) {
			return NOBODY;
		}
		target.onMessage(publish.topic(), payload);
		return null;
	}

	/**
	 * Waits for room among outstanding asynchronous deliveries, then hands the message over; the
	 * slot taken is given back when what {@link #dispatch} returns completes.
	 */
	private java.util.concurrent.CompletableFuture<?> handAsync(AsyncMqttMessageListener listener,
			MqttMessage message) {
		try {
			this.asyncDeliveries.acquire();
		}
		catch (InterruptedException ex) {
			// not handed over, so never acknowledged
			Thread.currentThread().interrupt();
			throw new MessageNotHandledException("interrupted while waiting for a slow listener");
		}
		try {
			return listener.onMessageAsync(message).toCompletableFuture();
		}
		catch (Throwable ex) {
			this.asyncDeliveries.release();
			throw ex;
		}
	}

	private static MqttMessage toMessage(Publish publish, byte[] payload) {
		return new MqttMessage(publish.topic(), payload, publish.qos(), publish.retain(), publish.dup(),
				publish.packetId());
	}

	private synchronized void startDispatcherIfWanted() {
		if (!this.config.dispatchThread() || this.dispatcher != null || this.disconnected) {
			return;
		}
		Thread thread = new Thread(this::dispatchLoop, "umqtt-dispatch-" + this.config.clientId());
		thread.setDaemon(true);
		this.dispatcher = thread;
		thread.start();
	}

	/**
	 * The dispatch thread's life: deliver until disconnected. A failure of the callbacks never
	 * gets here (see {@link #deliver}); anything else that ends the loop is recorded, so that the
	 * status and {@link #lastError()} say delivery has stopped.
	 */
	private void dispatchLoop() {
		Throwable ended = null;
		try {
			while (!this.disconnected) {
				try {
					waitMsg();
				}
				catch (MqttException ex) {
					if (!this.disconnected) {
						logger.debug("Dispatch thread of '{}': {}", this.config.clientId(), ex.getMessage());
					}
				}
				// an interrupt a listener left on this thread would make every later wait fail at once
				if (Thread.interrupted() && !this.disconnected) {
					logger.debug("Dispatch thread of '{}': interrupt cleared", this.config.clientId());
				}
			}
		}
		catch (Throwable ex) {
			ended = ex;
			throw ex;
		}
		finally {
			if (!this.disconnected) {
				deliveryStopped(ended);
			}
		}
	}

	private void deliveryStopped(Throwable cause) {
		String text = "Message delivery stopped: the dispatch thread ended"
				+ ((cause != null) ? " with " + cause : "");
		this.deliveryFailure = text;
		logger.error("Client '{}': {}", this.config.clientId(), text);
		ErrorCallback errors = this.errorCallback;
		if (errors != null && !this.eventThread.isShutdown()) {
			this.eventThread.execute(() -> callErrorCallback(errors, text));
		}
	}

	// ---- facts for operators ----

	/** The client identifier. */
	public String clientId() {
		return this.config.clientId();
	}

	/** The broker's host. */
	public String server() {
		return this.config.server();
	}

	/** The broker's port. */
	public int port() {
		return this.config.port();
	}

	/**
	 * The text of the last connection error, or why messages can no longer be delivered;
	 * {@code null} while all is well. The client's user name and password never appear in it (a
	 * server's reason string could echo them): each is replaced by {@code ******}.
	 */
	public String lastError() {
		String failure = this.deliveryFailure;
		String text = (failure != null) ? failure : this.engine.lastError();
		if (text == null) {
			return null;
		}
		byte[] password = this.config.password();
		if (password != null && password.length > 0) {
			text = text.replace(new String(password, java.nio.charset.StandardCharsets.UTF_8), "******");
		}
		String user = this.config.user();
		return (user != null && !user.isEmpty()) ? text.replace(user, "******") : text;
	}

	/**
	 * How many acknowledgements (PUBACK, PUBREC, PUBCOMP) arrived for a packet id not in flight,
	 * each logged at WARN and otherwise ignored.
	 */
	public long unexpectedAcks() {
		return this.engine.unexpectedAcks();
	}

	/** How many events for the error callback and connection listeners were dropped, their queue full. */
	public long droppedEvents() {
		return this.droppedEvents.get();
	}

	/** How many times internal reconnection succeeded. */
	public long reconnectCount() {
		return this.engine.reconnects();
	}

	/**
	 * QoS 1 and 2 messages accepted and not yet acknowledged (in flight, or waiting for room or a
	 * connection). Cheap: reads the window, without a hop to the network thread.
	 */
	public int inflightCount() {
		return this.disconnected ? 0 : this.window.inUse();
	}

	/** Received messages waiting to be delivered. */
	public int pendingMessages() {
		return this.inbound.size();
	}

	/** Payload bytes of the received messages waiting to be delivered. */
	public long pendingBytes() {
		return this.inbound.bytes();
	}

	/**
	 * The most received messages that waited for delivery at once since the client was made; never
	 * more than the inbound queue's bound (README, "Reliability").
	 */
	public int pendingMessagesPeak() {
		return this.inbound.peak();
	}

	/**
	 * Received messages that matched no listener while no callback was set. A QoS 1 or 2 one is
	 * left unacknowledged on a persistent session, so that the broker sends it again on the next
	 * connection; on a clean session (where it cannot be sent again) it is acknowledged. Each is
	 * logged as a warning and told to {@link MqttClientObserver#unhandled}.
	 */
	public long unhandledMessages() {
		return this.unhandled.get();
	}

	/**
	 * QoS 0 messages dropped because the inbound queue's overflow was full while an answer from
	 * the broker was awaited (README, "Reliability").
	 */
	public long droppedMessages() {
		return this.dropped.get();
	}

	@Override
	public String toString() {
		return "MqttClient[" + this.config + ", status=" + status() + "]";
	}

	// ---- helpers ----

	private void checkClientIdAllows(boolean cleanSession) {
		if (!cleanSession && this.config.clientId().isEmpty()) {
			// return code 2, as the broker would answer [MQTT-3.1.3-8], but without sending anything
			throw new MqttException("Client identifier rejected before connecting: a client with an empty client id "
					+ "must connect with clean session true; give it an id to keep a session [MQTT-3.1.3-7]", 2, null);
		}
	}

	private void checkNotDisconnected() {
		if (this.disconnected) {
			throw new MqttException("The client is disconnected; make a new one");
		}
	}

	private void checkNotOnEventLoop(String operation) {
		if (this.engine.loop().inEventLoop()) {
			throw new IllegalStateException("Blocking " + operation + "() called on the client's network thread "
					+ "(in a CompletableFuture stage?); use the ...Async method or another thread");
		}
	}

	/**
	 * Waits for {@code future} and turns every way it can go wrong into an {@link MqttException}
	 * that says what was being done.
	 */
	private static <T> T awaitOrThrow(CompletableFuture<T> future, Duration timeout, String doing,
			String timedOut) {
		try {
			return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw rethrow(doing + " failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new MqttException(timedOut, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MqttException("Interrupted: " + doing, ex);
		}
	}

	private static void await(CompletableFuture<?> future, Duration timeout) {
		try {
			future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("Gave up waiting: {}", ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static MqttException rethrow(String context, Throwable cause) {
		if (cause instanceof MqttException mqtt) {
			return new MqttException(mqtt.getMessage(), mqtt.returnCode(), mqtt);
		}
		return new MqttException(context + ": " + cause.getMessage(), cause);
	}

	private void callErrorCallback(ErrorCallback errors, String text) {
		try {
			errors.onError(text);
		}
		catch (Throwable ex) {
			// Errors too: the event thread goes on with the next event
			logger.error("Error callback of '{}' failed on '{}'", this.config.clientId(), LogSafe.text(text), ex);
		}
	}

	/** Receives what the engine reports, on the event loop, and moves application code off it. */
	private final class Events implements ClientEngine.ClientEvents {

		@Override
		public void error(String text) {
			if (ErrorCallback.RECONNECT_START.equals(text)) {
				logger.info("Connection of '{}' to {} lost; reconnecting", config.clientId(), config.address());
			}
			else if (ErrorCallback.RECONNECT_SUCCESS.equals(text)) {
				logger.info("'{}' reconnected to {}", config.clientId(), config.address());
			}
			else {
				logger.warn("Connection of '{}' to {}: {}", config.clientId(), config.address(), LogSafe.text(text));
			}
			ErrorCallback errors = errorCallback;
			if (errors != null) {
				onEventThread(() -> callErrorCallback(errors, text));
			}
		}

		@Override
		public void connected(boolean sessionPresent, boolean reconnect) {
			logger.debug("'{}' connected to {} (session present: {})", config.clientId(), config.address(),
					sessionPresent);
			notifyListeners((listener) -> listener.connected(MqttClient.this, sessionPresent, reconnect));
		}

		@Override
		public void connectionLost(String reason) {
			logger.debug("'{}' lost its connection to {}: {}", config.clientId(), config.address(), reason);
			notifyListeners((listener) -> listener.connectionLost(MqttClient.this, reason));
		}

		@Override
		public void subscriptionRefused(String filter) {
			refused.add(filter);
			error("subscribe topic ACK Fail: '" + filter + "'");
			notifyListeners((listener) -> listener.subscriptionRefused(MqttClient.this, filter));
		}

		private void notifyListeners(java.util.function.Consumer<MqttConnectionListener> call) {
			if (connectionListeners.isEmpty()) {
				return;
			}
			onEventThread(() -> {
				for (MqttConnectionListener listener : connectionListeners) {
					try {
						call.accept(listener);
					}
					catch (Throwable ex) {
						logger.error("Connection listener of '{}' failed", config.clientId(), ex);
					}
				}
			});
		}

		@Override
		public void channelError(String text, Throwable cause) {
			logger.debug("Channel error on '{}': {}", config.clientId(), LogSafe.text(text), cause);
		}

		@Override
		public void received(Publish publish) {
			MqttClientObserver watching = observer;
			if (watching != null) {
				watching.received(publish.qos(), publish.payload().readableBytes());
			}
		}

		@Override
		public void dropped(Publish publish) {
			dropped.incrementAndGet();
			MqttClientObserver watching = observer;
			if (watching != null) {
				watching.dropped(publish.qos(), publish.payload().readableBytes());
			}
		}

		@Override
		public void overflowDropping(int queued) {
			logger.warn("'{}': {} received messages wait for delivery and an answer from the broker is awaited "
					+ "behind more; QoS 0 messages are dropped until the queue has room", config.clientId(), queued);
		}

		@Override
		public void overflowDropped(long count) {
			logger.warn("'{}': {} QoS 0 messages dropped while the inbound queue was full", config.clientId(), count);
		}

		@Override
		public void outboundTaken(int count) {
			outboundSlots.release(count);
		}

	}

	/**
	 * Builds a client: one setter per parameter of the reference's {@code MQTTClient}, with its
	 * defaults, and umqtt's own settings.
	 */
	public static final class Builder {

		private final String clientId;

		private final String server;

		private int port;

		private String user;

		private byte[] password;

		private int keepalive;

		private boolean ssl;

		private SslParams sslParams;

		private boolean reconn = true;

		private int version = 4;

		private Duration connectTimeout = Duration.ofSeconds(20);

		private Duration publishTimeout = Duration.ofSeconds(5);

		private int maxInflight = 100;

		private int maxPacketSize = PacketDecoder.DEFAULT_MAX_PACKET_SIZE;

		private Duration reconnectDelay = Duration.ofSeconds(1);

		private Duration maxReconnectDelay = Duration.ofSeconds(30);

		private int inboundQueueCapacity = 1_000;

		private long inboundQueueBytes = 64L * 1024 * 1024;

		private int offlineQueueCapacity = 10_000;

		private int outboundQueueCapacity = 10_000;

		private boolean dispatchThread;

		private EventLoopGroup eventLoopGroup;

		private io.umqtt.core.session.SessionStore sessionStore = io.umqtt.core.session.SessionStore.IN_MEMORY;

		private long offlineQueueBytes = 64L * 1024 * 1024;

		private OfflineOverflow offlineOverflow = OfflineOverflow.FAIL_NEW;

		private int maxOutgoingPacketSize = WireFormat.MAX_REMAINING_LENGTH + 5;

		private int maxPublishAttempts = 3;

		private Builder(String clientId, String server) {
			this.clientId = Objects.requireNonNull(clientId, "clientId");
			this.server = Objects.requireNonNull(server, "server");
			if (server.isBlank()) {
				throw new IllegalArgumentException("server must not be blank");
			}
		}

		/** Broker port; 0 (the default) means 1883, or 8883 with ssl. */
		public Builder port(int port) {
			if (port < 0 || port > 65_535) {
				throw new IllegalArgumentException("port must be 0..65535, was " + port);
			}
			this.port = port;
			return this;
		}

		/** User name; {@code null} for none. */
		public Builder user(String user) {
			this.user = user;
			return this;
		}

		/** Password; needs a user name. */
		public Builder password(String password) {
			this.password = (password != null) ? password.getBytes(StandardCharsets.UTF_8) : null;
			return this;
		}

		/** Keep-alive in seconds, 0 (off, the default) to 65,535. */
		public Builder keepalive(int keepalive) {
			if (keepalive < 0 || keepalive > 65_535) {
				throw new IllegalArgumentException("keepalive must be 0..65535 seconds, was " + keepalive);
			}
			this.keepalive = keepalive;
			return this;
		}

		/** Whether to use TLS; off by default. */
		public Builder ssl(boolean ssl) {
			this.ssl = ssl;
			return this;
		}

		/** What TLS trusts and presents; the JDK defaults when not set. */
		public Builder sslParams(SslParams sslParams) {
			this.sslParams = sslParams;
			return this;
		}

		/** Internal reconnection; on by default. */
		public Builder reconn(boolean reconn) {
			this.reconn = reconn;
			return this;
		}

		/** 3 for MQTT 3.1, 4 (the default) for MQTT 3.1.1. */
		public Builder version(int version) {
			if (version != 3 && version != 4) {
				throw new IllegalArgumentException("version must be 3 (MQTT 3.1) or 4 (MQTT 3.1.1), was " + version);
			}
			this.version = version;
			return this;
		}

		/** How long TCP, TLS and CONNACK may take together; 20 s by default. */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = positive(connectTimeout, "connectTimeout");
			return this;
		}

		/**
		 * How long a blocking publish waits for PUBACK or PUBCOMP, and subscribe for SUBACK; 5 s by
		 * default, as in the reference.
		 */
		public Builder publishTimeout(Duration publishTimeout) {
			this.publishTimeout = positive(publishTimeout, "publishTimeout");
			return this;
		}

		/** How many QoS 1 and 2 messages may await acknowledgement at once; 100 by default. */
		public Builder maxInflight(int maxInflight) {
			if (maxInflight < 1 || maxInflight > 65_535) {
				throw new IllegalArgumentException("maxInflight must be 1..65535, was " + maxInflight);
			}
			this.maxInflight = maxInflight;
			return this;
		}

		/** The largest packet accepted from the broker, in bytes; 64 MiB by default. */
		public Builder maxPacketSize(int maxPacketSize) {
			if (maxPacketSize < 2) {
				throw new IllegalArgumentException("maxPacketSize must be at least 2");
			}
			this.maxPacketSize = maxPacketSize;
			return this;
		}

		/**
		 * The largest packet the broker accepts, in bytes (its {@code message_size_limit}, say): a
		 * publish whose PUBLISH packet would be larger fails when it is made, before anything is
		 * sent, instead of the broker closing the connection. MQTT's own maximum (256 MiB) by
		 * default.
		 */
		public Builder maxOutgoingPacketSize(int maxOutgoingPacketSize) {
			if (maxOutgoingPacketSize < 5) {
				throw new IllegalArgumentException("maxOutgoingPacketSize must be at least 5, was "
						+ maxOutgoingPacketSize);
			}
			this.maxOutgoingPacketSize = maxOutgoingPacketSize;
			return this;
		}

		/**
		 * How many connections a QoS 1 or 2 PUBLISH may be sent on that each close before the broker
		 * acknowledges it; then its publish fails, as a message the broker rejects (a QoS it does
		 * not support, a topic it forbids, a size over its limit) instead of being resent after
		 * every reconnect. 3 by default; 1 to 100.
		 */
		public Builder maxPublishAttempts(int attempts) {
			if (attempts < 1 || attempts > 100) {
				throw new IllegalArgumentException("maxPublishAttempts must be 1..100, was " + attempts);
			}
			this.maxPublishAttempts = attempts;
			return this;
		}

		/** Reconnect back-off: the first delay and the cap; 1 s and 30 s by default. */
		public Builder reconnectDelay(Duration initial, Duration max) {
			new Backoff(initial, max);
			this.reconnectDelay = initial;
			this.maxReconnectDelay = max;
			return this;
		}

		/**
		 * Received messages held for delivery before reading pauses; 1,000 by default. While an
		 * answer from the broker is awaited, reading goes on into an overflow (README, "Reliability").
		 */
		public Builder inboundQueueCapacity(int capacity) {
			this.inboundQueueCapacity = atLeastOne(capacity, "inboundQueueCapacity");
			return this;
		}

		/**
		 * Payload bytes of received messages held for delivery before reading pauses; 64 MiB by
		 * default. The overflow holds at most as much again; a single message larger than this is
		 * still delivered, one at a time.
		 */
		public Builder inboundQueueBytes(long bytes) {
			if (bytes < 1) {
				throw new IllegalArgumentException("inboundQueueBytes must be at least 1, was " + bytes);
			}
			this.inboundQueueBytes = bytes;
			return this;
		}

		/** Messages held while disconnected (internal reconnection on); 10,000 by default. */
		public Builder offlineQueueCapacity(int capacity) {
			this.offlineQueueCapacity = atLeastOne(capacity, "offlineQueueCapacity");
			return this;
		}

		/** Payload bytes held while disconnected (internal reconnection on); 64 MiB by default. */
		public Builder offlineQueueBytes(long bytes) {
			if (bytes < 1) {
				throw new IllegalArgumentException("offlineQueueBytes must be at least 1, was " + bytes);
			}
			this.offlineQueueBytes = bytes;
			return this;
		}

		/** What happens to a publish when the offline buffer is full; {@code FAIL_NEW} by default. */
		public Builder offlineOverflow(OfflineOverflow policy) {
			this.offlineOverflow = Objects.requireNonNull(policy, "policy");
			return this;
		}

		/** Messages queued for the network thread before publishers wait; 10,000 by default. */
		public Builder outboundQueueCapacity(int capacity) {
			this.outboundQueueCapacity = atLeastOne(capacity, "outboundQueueCapacity");
			return this;
		}

		/**
		 * Whether the client runs its own thread that delivers messages as they arrive (a
		 * {@code waitMsg()} loop), so the application need not. Off by default, as in the reference.
		 */
		public Builder dispatchThread(boolean dispatchThread) {
			this.dispatchThread = dispatchThread;
			return this;
		}

		/**
		 * Where QoS 1 and 2 session state outlives the process, e.g. a
		 * {@link io.umqtt.core.store.FileSessionStore}: a new client with the same id and clean
		 * session false then resends what was in flight and never delivers a QoS 2 message twice.
		 * In memory only by default. The client closes the store on {@code disconnect()}.
		 */
		public Builder sessionStore(io.umqtt.core.session.SessionStore sessionStore) {
			this.sessionStore = Objects.requireNonNull(sessionStore, "sessionStore");
			return this;
		}

		/** Run on this event loop group (its owner shuts it down) instead of umqtt's shared one. */
		public Builder eventLoopGroup(EventLoopGroup eventLoopGroup) {
			this.eventLoopGroup = eventLoopGroup;
			return this;
		}

		/**
		 * Builds the client; nothing connects until {@link MqttClient#connect()}.
		 * @return the client
		 * @throws IllegalArgumentException when a password is given without a user name
		 */
		public MqttClient build() {
			return new MqttClient(config());
		}

		ClientConfig config() {
			if (this.password != null && this.user == null) {
				throw new IllegalArgumentException("A password needs a user name [MQTT-3.1.2-22]");
			}
			// checked here, not when CONNECT is written: a background connect would retry it for ever
			checkEncodable(this.clientId, "client id");
			if (this.user != null) {
				checkEncodable(this.user, "user name");
			}
			if (this.password != null && this.password.length > 65_535) {
				throw new IllegalArgumentException("The password is " + this.password.length
						+ " bytes, more than the 65535 a CONNECT can carry [MQTT-1.5.3]");
			}
			int resolvedPort = (this.port != 0) ? this.port : (this.ssl ? 8883 : 1883);
			return new ClientConfig(this.clientId, this.server, resolvedPort, this.user, this.password, this.keepalive,
					this.ssl, this.sslParams, this.reconn, this.version, this.connectTimeout, this.publishTimeout,
					this.maxInflight, this.maxPacketSize, new Backoff(this.reconnectDelay, this.maxReconnectDelay),
					this.inboundQueueCapacity, this.offlineQueueCapacity, this.outboundQueueCapacity,
					this.dispatchThread, this.eventLoopGroup, this.sessionStore, this.offlineQueueBytes,
					this.offlineOverflow, this.maxOutgoingPacketSize, this.maxPublishAttempts, this.inboundQueueBytes);
		}

		private static void checkEncodable(String value, String what) {
			int bytes = io.umqtt.core.topic.Utf8.encodedLength(value);
			if (bytes < 0) {
				throw new IllegalArgumentException("The " + what + " is not well-formed UTF-8 [MQTT-1.5.3-1]");
			}
			if (bytes > 65_535) {
				throw new IllegalArgumentException("The " + what + " is " + bytes
						+ " UTF-8 bytes, more than the 65535 a CONNECT can carry [MQTT-1.5.3]");
			}
			if (value.indexOf('\u0000') >= 0) {
				throw new IllegalArgumentException("The " + what + " must not contain U+0000 [MQTT-1.5.3-2]");
			}
		}

		private static Duration positive(Duration value, String name) {
			if (value == null || value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException(name + " must be positive");
			}
			return value;
		}

		private static int atLeastOne(int value, String name) {
			if (value < 1) {
				throw new IllegalArgumentException(name + " must be at least 1, was " + value);
			}
			return value;
		}

	}

}
