package io.umqtt.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.netty.channel.EventLoopGroup;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.codec.WireFormat;
import io.umqtt.core.connection.Backoff;
import io.umqtt.core.connection.ClientConfig;
import io.umqtt.core.connection.Connection;
import io.umqtt.core.connection.InboundQueue;
import io.umqtt.core.delivery.ApplicationEvents;
import io.umqtt.core.delivery.Dispatcher;
import io.umqtt.core.netty.Transport;
import io.umqtt.core.packet.QoS;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.packet.Subscription;
import io.umqtt.core.packet.Will;
import io.umqtt.core.session.InboundDelivery;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.topic.LogSafe;
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
	static final int EVENT_QUEUE_CAPACITY = ApplicationEvents.QUEUE_CAPACITY;

	private final ClientConfig config;

	private final EventLoopGroup group;

	private final boolean sharedGroup;

	private final ApplicationEvents events;

	private final Connection connection;

	private final InboundQueue inbound;

	private final Dispatcher dispatcher;

	private final List<MqttConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();

	private volatile LastWill lastWill;

	private volatile boolean disconnected;

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
		this.events = new ApplicationEvents(config.clientId(), config.address(), new Listeners());
		try {
			this.connection = new Connection(config, this.group.next(), this.events);
		}
		catch (RuntimeException | Error ex) {
			// nothing else holds the shared I/O threads for this client
			this.events.shutdown();
			if (this.sharedGroup) {
				Transport.releaseShared();
			}
			throw ex;
		}
		this.inbound = this.connection.inbox().queue();
		this.dispatcher = new Dispatcher(config.clientId(), this.connection.inbox(), this.events,
				this.connection::cleanSession);
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
		this.dispatcher.callback(callback);
	}

	/**
	 * Sets the function that receives whole messages (QoS, retain, dup, id).
	 * @param listener the listener, or {@code null} to remove it
	 */
	public void setCallback(MqttMessageListener listener) {
		this.dispatcher.callback(listener);
	}

	/**
	 * Sets the function told about reconnection ({@code "reconnect_start"},
	 * {@code "reconnect_success"}) and errors of the connection (their text).
	 * @param callback the callback, or {@code null}
	 */
	public void errorRegisterCb(ErrorCallback callback) {
		this.events.errorCallback(callback);
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
		CompletableFuture<Boolean> result = this.connection.connect(cleanSession);
		Await.orThrow(result, this.config.connectTimeout().plusSeconds(1), "Connecting to " + this.config.address(),
				"Timed out connecting to " + this.config.address());
		startDispatchThreadIfWanted();
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
		CompletableFuture<Boolean> result = this.config.reconn() ? this.connection.connectInBackground(cleanSession)
				: this.connection.connect(cleanSession);
		return result.thenRun(this::startDispatchThreadIfWanted);
	}

	/**
	 * Sets the observer told what this client publishes and receives (for metrics); {@code null}
	 * removes it. With an observer each publish costs a timestamp and a completion stage more.
	 * @param observer the observer
	 */
	public void setObserver(MqttClientObserver observer) {
		this.events.observer(observer);
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
		this.connection.setWill((will != null) ? new Will(will.topic(), will.message(), will.qos(), will.retain()) : null);
	}

	/** Whether this client has had a connection accepted at least once. */
	public boolean hasBeenConnected() {
		return this.connection.everConnected();
	}

	/** Whether the broker resumed a stored session at the last connect. */
	public boolean isSessionPresent() {
		return this.connection.sessionPresent();
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
		this.dispatcher.stop();
		if (this.connection.loop().inEventLoop()) {
			// Called from a stage of one of this client's futures: waiting here would block the
			// thread the disconnect runs on. Start it, and release the rest once it is done.
			if (!drainTimeout.isZero()) {
				logger.debug("disconnect() of '{}' on its network thread: not waiting for messages in flight",
						this.config.clientId());
			}
			this.connection.disconnect().whenComplete((ignored, failure) -> release());
			return;
		}
		if (!drainTimeout.isZero() && this.connection.status() == MqttStatus.CONNECTED) {
			Await.quietly(this.connection.requests().whenIdle(), drainTimeout);
		}
		Await.quietly(this.connection.disconnect(), Duration.ofSeconds(5));
		release();
	}

	/** What {@code disconnect()} frees once the connection is gone. */
	private void release() {
		this.inbound.failForever(new MqttException("The client is disconnected"));
		for (InboundDelivery leftover : this.inbound.drainAll()) {
			leftover.publish().payload().release();
		}
		Thread dispatch = this.dispatcher.stop();
		if (dispatch != null && dispatch != Thread.currentThread() && !this.connection.loop().inEventLoop()) {
			try {
				dispatch.join(1_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.events.shutdown();
		this.config.sessionStore().close();
		if (this.sharedGroup) {
			Transport.releaseShared();
		}
	}

	private void startDispatchThreadIfWanted() {
		if (this.config.dispatchThread() && !this.disconnected) {
			this.dispatcher.startThread();
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
		Await.quietly(this.connection.close(), Duration.ofSeconds(5));
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
		this.connection.reloadSsl(Objects.requireNonNull(sslParams, "sslParams"));
	}

	/** Sends PINGREQ; does nothing when keep-alive is 0, as in the reference. */
	public void ping() {
		if (this.config.keepalive() > 0 && !this.disconnected) {
			this.connection.requests().ping();
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
		return (this.disconnected || this.dispatcher.deliveryFailure() != null) ? MqttStatus.ERROR : this.connection.status();
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
		// the acknowledgement is read even while delivery is paused (see InboundQueue), so a
		// listener may block here
		Await.Failed failed = Await.published(publishAsync(topic, msg, retain, qos), this.config.publishTimeout());
		if (failed != null) {
			this.events.publishFailed(topic, qos, failed.reason(), failed.cause());
		}
		return failed == null;
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
		checkSize(topic, msg.length, qos);
		// the future returned is the message's completion, which cannot reach the message
		OutgoingMessage message = new OutgoingMessage(topic, qos, retain, msg);
		MqttClientObserver watching = this.events.observer();
		if (watching != null) {
			watching.publishing(qos, msg.length);
			long start = System.nanoTime();
			message.completion().whenComplete((ignored, failure) -> {
				if (failure == null) {
					watching.published(qos, System.nanoTime() - start);
				}
				else {
					watching.publishFailed(qos);
				}
			});
		}
		if (this.disconnected) {
			message.completion().completeExceptionally(new MqttException("The client is disconnected"));
			return message.completion();
		}
		return this.connection.outbox().offer(message);
	}

	private void checkSize(String topic, int payload, int qos) {
		if (payload > WireFormat.MAX_REMAINING_LENGTH - MAX_TOPIC_OVERHEAD) {
			throw new IllegalArgumentException("Message of " + payload + " bytes is larger than MQTT allows");
		}
		if (this.config.maxOutgoingPacketSize() <= WireFormat.MAX_REMAINING_LENGTH) {
			// fixed header, topic, packet id and payload
			long remaining = 2L + io.umqtt.core.topic.Utf8.encodedLength(topic) + ((qos > 0) ? 2 : 0) + payload;
			int lengthBytes = (remaining < 128) ? 1 : (remaining < 16_384) ? 2 : (remaining < 2_097_152) ? 3 : 4;
			long packet = 1 + lengthBytes + remaining;
			if (packet > this.config.maxOutgoingPacketSize()) {
				throw new IllegalArgumentException("PUBLISH to '" + LogSafe.topic(topic) + "' would be " + packet
						+ " bytes, over maxOutgoingPacketSize " + this.config.maxOutgoingPacketSize());
			}
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
			return Await.orThrow(granted, this.config.publishTimeout(), "Subscribing to '" + LogSafe.topic(topic) + "'",
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
		return this.dispatcher.subscribe(topic, qos, listener, this.connection.requests());
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
		Await.orThrow(this.connection.requests().unsubscribe(List.of(topic), this.dispatcher.routeChangeFor(topic)), this.config.publishTimeout(),
				"Unsubscribing from '" + LogSafe.topic(topic) + "'",
				"No UNSUBACK for '" + LogSafe.topic(topic) + "' within " + this.config.publishTimeout().toMillis() + " ms");
	}

	/** The filters the broker refused (SUBACK 0x80) and that were not granted since. */
	public Set<String> refusedSubscriptions() {
		return this.dispatcher.refused();
	}

	/** The subscriptions the broker granted, filter to QoS. */
	public Map<String, Integer> subscriptions() {
		return this.disconnected ? Map.of() : this.connection.requests().subscriptions();
	}

	// ---- receiving ----

	/**
	 * Delivers, in this thread, every message that has arrived, without waiting for more, and
	 * finishes the route changes of {@link #unsubscribe(String)} that are due, also when no
	 * message is there.
	 */
	public void checkMsg() {
		checkNotOnEventLoop("checkMsg");
		this.dispatcher.checkMsg();
	}

	/**
	 * Waits for a message and delivers it in this thread. With internal reconnection it keeps
	 * waiting across reconnects.
	 * @throws MqttException when the connection was lost and will not come back by itself
	 * (reported once), or the client is disconnected
	 */
	public void waitMsg() {
		checkNotOnEventLoop("waitMsg");
		this.dispatcher.waitMsg(-1);
	}

	/**
	 * Waits up to {@code timeout} for a message and delivers it in this thread.
	 * @param timeout how long to wait
	 * @return whether a message was delivered
	 * @throws MqttException as {@link #waitMsg()} does
	 */
	public boolean waitMsg(Duration timeout) {
		checkNotOnEventLoop("waitMsg");
		return this.dispatcher.waitMsg(timeout.toNanos());
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
		String failure = this.dispatcher.deliveryFailure();
		String text = (failure != null) ? failure : this.connection.lastError();
		return (text != null) ? this.config.masked(text) : null;
	}

	/**
	 * How many acknowledgements (PUBACK, PUBREC, PUBCOMP) arrived for a packet id not in flight,
	 * each logged at WARN and otherwise ignored.
	 */
	public long unexpectedAcks() {
		return this.connection.outbox().unexpectedAcks();
	}

	/** How many events for the error callback and connection listeners were dropped, their queue full. */
	public long droppedEvents() {
		return this.events.droppedEvents();
	}

	/** How many times internal reconnection succeeded. */
	public long reconnectCount() {
		return this.connection.reconnects();
	}

	/**
	 * QoS 1 and 2 messages accepted and not yet acknowledged (in flight, or waiting for room or a
	 * connection). Cheap: reads the window, without a hop to the network thread.
	 */
	public int inflightCount() {
		return this.disconnected ? 0 : this.connection.outbox().inflightCount();
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
		return this.dispatcher.unhandled();
	}

	/**
	 * QoS 0 messages dropped because the inbound queue's overflow was full while an answer from
	 * the broker was awaited (README, "Reliability").
	 */
	public long droppedMessages() {
		return this.events.droppedMessages();
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
		if (this.connection.loop().inEventLoop()) {
			throw new IllegalStateException("Blocking " + operation + "() called on the client's network thread "
					+ "(in a CompletableFuture stage?); use the ...Async method or another thread");
		}
	}

	/** Tells the connection listeners, on the event thread; one that fails does not keep it from the others. */
	private final class Listeners implements ApplicationEvents.ConnectionNews {

		@Override
		public boolean wanted() {
			return !MqttClient.this.connectionListeners.isEmpty();
		}

		@Override
		public void refused(String filter) {
			MqttClient.this.dispatcher.refusedBy(filter);
		}

		@Override
		public void connected(boolean sessionPresent, boolean reconnect) {
			each((listener) -> listener.connected(MqttClient.this, sessionPresent, reconnect));
		}

		@Override
		public void connectionLost(String reason) {
			each((listener) -> listener.connectionLost(MqttClient.this, reason));
		}

		@Override
		public void subscriptionRefused(String filter) {
			each((listener) -> listener.subscriptionRefused(MqttClient.this, filter));
		}

		private void each(Consumer<MqttConnectionListener> call) {
			for (MqttConnectionListener listener : MqttClient.this.connectionListeners) {
				try {
					call.accept(listener);
				}
				catch (Throwable ex) {
					logger.error("Connection listener of '{}' failed", MqttClient.this.config.clientId(), ex);
				}
			}
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
			this.connectTimeout = ClientConfig.positive(connectTimeout, "connectTimeout");
			return this;
		}

		/**
		 * How long a blocking publish waits for PUBACK or PUBCOMP, and subscribe for SUBACK; 5 s by
		 * default, as in the reference.
		 */
		public Builder publishTimeout(Duration publishTimeout) {
			this.publishTimeout = ClientConfig.positive(publishTimeout, "publishTimeout");
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
		 * How many connections a QoS 1 or 2 PUBLISH may be sent on that the broker closes right
		 * after reading it (the last PUBLISH written, nothing read since, the broker's side
		 * closing) and then accepts the very next connection attempt; then its publish fails, as
		 * a message the broker rejects (a QoS it does not support, a topic it forbids, a size over
		 * its limit) instead of being resent after every reconnect. Such a close counts only when
		 * the next connection is accepted with no failed attempt in between and, for a clean
		 * session false client, with the broker still holding its session: a killed or restarting
		 * broker refuses attempts for a while or comes back without the session, and counts
		 * against no message. Other closes (keep-alive timeouts, {@code close()}) count against no
		 * message either. 3 by default; 1 to 100.
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
			this.inboundQueueCapacity = ClientConfig.atLeastOne(capacity, "inboundQueueCapacity");
			return this;
		}

		/**
		 * Payload bytes of received messages held for delivery before reading pauses; 64 MiB by
		 * default. While an answer from the broker is awaited reading goes on, however much comes
		 * first: the overflow holds at most as much again, and QoS 1 and 2 messages once more
		 * (three times this in all). Beyond that QoS 0 messages are dropped and QoS 1 and 2 ones
		 * released without acknowledgement (counted in {@link MqttClient#droppedMessages()}, with
		 * a WARN); once the answers are in and the queue has drained, a clean session false
		 * client reconnects so that the broker sends them again, while on a clean session they are
		 * lost (README, "Reliability"). A single message larger than this is still delivered, one
		 * at a time.
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
			this.offlineQueueCapacity = ClientConfig.atLeastOne(capacity, "offlineQueueCapacity");
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
			this.outboundQueueCapacity = ClientConfig.atLeastOne(capacity, "outboundQueueCapacity");
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
			ClientConfig.checkEncodable(this.clientId, "client id");
			if (this.user != null) {
				ClientConfig.checkEncodable(this.user, "user name");
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

	}

}
