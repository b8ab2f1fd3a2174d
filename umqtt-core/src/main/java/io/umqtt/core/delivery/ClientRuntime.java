package io.umqtt.core.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.EventLoopGroup;
import io.umqtt.core.LastWill;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttMessageListener;
import io.umqtt.core.MqttProperties;
import io.umqtt.core.MqttStatus;
import io.umqtt.core.SslParams;
import io.umqtt.core.SubscribeOptions;
import io.umqtt.core.connection.ClientConfig;
import io.umqtt.core.connection.Connection;
import io.umqtt.core.connection.InboundQueue;
import io.umqtt.core.netty.Transport;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.QoS;
import io.umqtt.core.packet.Subscription;
import io.umqtt.core.session.InboundDelivery;
import io.umqtt.core.topic.LogSafe;
import io.umqtt.core.topic.TopicFilter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client below its public facade, from construction to {@code disconnect()}: its event
 * loops (umqtt's shared ones or the application's), the {@link Connection}, the
 * {@link Dispatcher}, the {@link Publisher} and the {@link ApplicationEvents}; the checks
 * each operation makes before it reaches them (not on the event loop when it blocks, not
 * after {@code disconnect()}), and the blocking forms, which wait with {@link Await}.
 * Thread-safe.
 */
public final class ClientRuntime {

	private static final Logger logger = LoggerFactory.getLogger("io.umqtt.core.MqttClient");

	private final ClientConfig config;

	private final EventLoopGroup group;

	private final boolean sharedGroup;

	private final ApplicationEvents events;

	private final Connection connection;

	private final InboundQueue inbound;

	private final Dispatcher dispatcher;

	private final Publisher publisher;

	/**
	 * Set once at {@code disconnect()}; read by the publisher without a call into here.
	 */
	private final AtomicBoolean disconnected = new AtomicBoolean();

	/**
	 * Creates a new {@code ClientRuntime}.
	 * @param config what the client was built with
	 * @param news where connections made and lost are told, on the event thread
	 */
	public ClientRuntime(ClientConfig config, ApplicationEvents.ConnectionNews news) {
		this.config = config;
		this.sharedGroup = config.eventLoopGroup() == null;
		this.group = this.sharedGroup ? Transport.acquireShared() : config.eventLoopGroup();
		this.events = new ApplicationEvents(config.clientId(), config.address(), news);
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
				() -> !this.connection.sessionKept());
		this.publisher = new Publisher(this.connection.outbox(), this.events, config.maxOutgoingPacketSize(),
				this.disconnected::get, config.isMqtt5(), this.connection::serverLimits);
	}

	/** Where the facade hands a publish without waiting: straight to the outbox. */
	public Publisher publisher() {
		return this.publisher;
	}

	public ApplicationEvents events() {
		return this.events;
	}

	public Connection connection() {
		return this.connection;
	}

	public Dispatcher dispatcher() {
		return this.dispatcher;
	}

	public InboundQueue inbound() {
		return this.inbound;
	}

	public boolean disconnected() {
		return this.disconnected.get();
	}

	// ---- connection ----

	/**
	 * Connects with {@code will} and waits for the CONNACK, up to the connect timeout.
	 */
	public void connect(boolean cleanSession, @Nullable LastWill will) {
		checkNotOnEventLoop("connect");
		checkNotDisconnected();
		checkClientIdAllows(cleanSession);
		applyWill(will);
		CompletableFuture<Boolean> result = this.connection.connect(cleanSession);
		Await.orThrow(result, this.config.connectTimeout().plusSeconds(1), "Connecting to " + this.config.address(),
				"Timed out connecting to " + this.config.address());
		startDispatchThreadIfWanted();
	}

	/**
	 * Connects with {@code will} without blocking; in the background, retried, with
	 * internal reconnection.
	 */
	public CompletableFuture<Void> connectAsync(boolean cleanSession, @Nullable LastWill will) {
		checkNotDisconnected();
		checkClientIdAllows(cleanSession);
		applyWill(will);
		CompletableFuture<Boolean> result = this.config.reconn() ? this.connection.connectInBackground(cleanSession)
				: this.connection.connect(cleanSession);
		return result.thenRun(this::startDispatchThreadIfWanted);
	}

	/** Hands the will to the connection; it goes into the next CONNECT. */
	private void applyWill(@Nullable LastWill will) {
		this.connection.setWill((will != null) ? LastWills.toPacket(will, this.config.protocolLevel()) : null);
	}

	private void checkClientIdAllows(boolean cleanSession) {
		if (!cleanSession && this.config.clientId().isEmpty()) {
			// return code 2, as the broker would answer [MQTT-3.1.3-8], but without
			// sending anything
			throw new MqttException(
					"Client identifier rejected before connecting: a client with an empty client id "
							+ "must connect with clean session true; give it an id to keep a session [MQTT-3.1.3-7]",
					2, null);
		}
	}

	private void startDispatchThreadIfWanted() {
		if (this.config.dispatchThread() && !this.disconnected.get()) {
			this.dispatcher.startThread();
		}
	}

	/**
	 * Waits up to {@code drainTimeout} for messages in flight, sends DISCONNECT and
	 * releases everything; once only. On the event loop it does not wait, and releases
	 * once the DISCONNECT is done.
	 */
	public void disconnect(Duration drainTimeout) {
		disconnect(drainTimeout, false);
	}

	/** Disconnects so that the broker publishes the will (DISCONNECT 0x04 on MQTT 5). */
	public void disconnectWithWill() {
		disconnect(Duration.ZERO, true);
	}

	private void disconnect(Duration drainTimeout, boolean withWill) {
		synchronized (this) {
			if (this.disconnected.get()) {
				return;
			}
			this.disconnected.set(true);
		}
		this.dispatcher.stop();
		if (this.connection.loop().inEventLoop()) {
			// Called from a stage of one of this client's futures: waiting here would
			// block the
			// thread the disconnect runs on. Start it, and release the rest once it is
			// done.
			if (!drainTimeout.isZero()) {
				logger.debug("disconnect() of '{}' on its network thread: not waiting for messages in flight",
						this.config.clientId());
			}
			goodbye(withWill).whenComplete((ignored, failure) -> release());
			return;
		}
		if (!drainTimeout.isZero() && this.connection.status() == MqttStatus.CONNECTED) {
			Await.quietly(this.connection.requests().whenIdle(), drainTimeout);
		}
		Await.quietly(goodbye(withWill), Duration.ofSeconds(5));
		release();
	}

	private CompletableFuture<Void> goodbye(boolean withWill) {
		return withWill ? this.connection.disconnectWithWill() : this.connection.disconnect();
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

	/**
	 * Drops the socket without DISCONNECT and stops internal reconnection;
	 * {@code connect()} may follow.
	 */
	public void close() {
		checkNotOnEventLoop("close");
		if (this.disconnected.get()) {
			return;
		}
		Await.quietly(this.connection.close(), Duration.ofSeconds(5));
	}

	/** Replaces the TLS material; the connection is dropped and made again with it. */
	public void reloadSsl(SslParams sslParams) {
		if (!this.config.ssl()) {
			throw new MqttException("Client '" + this.config.clientId() + "' does not use TLS");
		}
		checkNotDisconnected();
		this.connection.reloadSsl(Objects.requireNonNull(sslParams, "sslParams"));
	}

	/** Sends PINGREQ when keep-alive is on. */
	public void ping() {
		if (this.config.keepalive() > 0 && !this.disconnected.get()) {
			this.connection.requests().ping();
		}
	}

	/**
	 * The connection's status; {@code ERROR} once disconnected or when delivery has
	 * stopped.
	 */
	public MqttStatus status() {
		return (this.disconnected.get() || this.dispatcher.deliveryFailure() != null) ? MqttStatus.ERROR
				: this.connection.status();
	}

	/**
	 * Why delivery stopped, else the last connection error, masked; {@code null} while
	 * all is well.
	 */
	public @Nullable String lastError() {
		String failure = this.dispatcher.deliveryFailure();
		String text = (failure != null) ? failure : this.connection.lastError();
		return (text != null) ? this.config.masked(text) : null;
	}

	// ---- publishing ----

	/**
	 * Publishes and waits up to the publish timeout.
	 * @return whether it completed; if not, the reason has gone to the log and the error
	 * callback
	 */
	public boolean publish(String topic, byte[] msg, boolean retain, int qos) {
		return publish(topic, msg, retain, qos, MqttProperties.NONE);
	}

	/**
	 * Publishes with MQTT 5 properties and waits up to the publish timeout.
	 * @return whether it completed, as {@link #publish(String, byte[], boolean, int)}
	 */
	public boolean publish(String topic, byte[] msg, boolean retain, int qos, MqttProperties properties) {
		checkNotOnEventLoop("publish");
		// the acknowledgement is read even while delivery is paused (see InboundQueue),
		// so a listener may block here
		Await.Failed failed = Await.published(this.publisher.publish(topic, msg, retain, qos, properties),
				this.config.publishTimeout());
		if (failed != null) {
			this.events.publishFailed(topic, qos, failed.reason(), failed.cause());
		}
		return failed == null;
	}

	/** The inflight count; 0 once disconnected. */
	public int inflightCount() {
		return this.disconnected.get() ? 0 : this.connection.outbox().inflightCount();
	}

	// ---- subscribing ----

	/**
	 * Subscribes, with {@code listener} the filter's route until the subscription fails.
	 */
	public CompletableFuture<Integer> subscribeAsync(String topic, int qos, @Nullable MqttMessageListener listener) {
		return subscribeAsync(topic, qos, SubscribeOptions.DEFAULT, listener);
	}

	/**
	 * Subscribes with MQTT 5 options; a subscription the server said it cannot take fails
	 * before anything is sent.
	 */
	public CompletableFuture<Integer> subscribeAsync(String topic, int qos, SubscribeOptions options,
			@Nullable MqttMessageListener listener) {
		TopicFilter.check(topic);
		QoS.check(qos);
		Objects.requireNonNull(options, "options");
		checkNotDisconnected();
		try {
			SubscribeChecks.check(topic, options, this.config.isMqtt5(), this.connection.serverLimits());
		}
		catch (MqttException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		PacketProperties properties = (this.config.isMqtt5()
				&& this.connection.serverLimits().subscriptionIdentifiersAvailable())
						? this.dispatcher.identified(topic) : PacketProperties.NONE;
		return this.dispatcher.subscribe(new Subscription(topic, qos, options), properties, this.config.isMqtt5(),
				listener, this.connection.requests());
	}

	/** Subscribes and waits for the SUBACK; a timeout gives the filter's listener up. */
	public int subscribe(String topic, int qos, @Nullable MqttMessageListener listener) {
		return subscribe(topic, qos, SubscribeOptions.DEFAULT, listener);
	}

	/** {@link #subscribe(String, int, MqttMessageListener)} with MQTT 5 options. */
	public int subscribe(String topic, int qos, SubscribeOptions options, @Nullable MqttMessageListener listener) {
		checkNotOnEventLoop("subscribe");
		CompletableFuture<Integer> granted = subscribeAsync(topic, qos, options, listener);
		try {
			return Await.orThrow(granted, this.config.publishTimeout(), "Subscribing to '" + LogSafe.topic(topic) + "'",
					"No SUBACK for '" + LogSafe.topic(topic) + "' within " + this.config.publishTimeout().toMillis()
							+ " ms");
		}
		catch (MqttException ex) {
			// gives the filter's listener up, also after a timeout
			granted.cancel(false);
			throw ex;
		}
	}

	/**
	 * Unsubscribes and waits for the UNSUBACK; the filter's listeners go once what came
	 * before it is delivered.
	 */
	public void unsubscribe(String topic) {
		checkNotOnEventLoop("unsubscribe");
		TopicFilter.check(topic);
		checkNotDisconnected();
		Await.orThrow(this.connection.requests().unsubscribe(List.of(topic), this.dispatcher.routeChangeFor(topic)),
				this.config.publishTimeout(), "Unsubscribing from '" + LogSafe.topic(topic) + "'", "No UNSUBACK for '"
						+ LogSafe.topic(topic) + "' within " + this.config.publishTimeout().toMillis() + " ms");
	}

	/** The granted subscriptions; none once disconnected. */
	public Map<String, Integer> subscriptions() {
		return this.disconnected.get() ? Map.of() : this.connection.requests().subscriptions();
	}

	// ---- receiving ----

	/** {@link Dispatcher#checkMsg()}, in the calling thread. */
	public void checkMsg() {
		checkNotOnEventLoop("checkMsg");
		this.dispatcher.checkMsg();
	}

	/** {@link Dispatcher#waitMsg(long)}, in the calling thread. */
	public boolean waitMsg(long timeoutNanos) {
		checkNotOnEventLoop("waitMsg");
		return this.dispatcher.waitMsg(timeoutNanos);
	}

	// ---- checks ----

	private void checkNotDisconnected() {
		if (this.disconnected.get()) {
			throw new MqttException("The client is disconnected; make a new one");
		}
	}

	private void checkNotOnEventLoop(String operation) {
		if (this.connection.loop().inEventLoop()) {
			throw new IllegalStateException("Blocking " + operation + "() called on the client's network thread "
					+ "(in a CompletableFuture stage?); use the ...Async method or another thread");
		}
	}

}
