package io.umqtt.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.PlatformDependent;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.netty.ConnectionEvents;
import io.umqtt.core.netty.KeepAlive;
import io.umqtt.core.netty.MqttChannelInitializer;
import io.umqtt.core.netty.MqttDecoderHandler;
import io.umqtt.core.netty.MqttEncoderHandler;
import io.umqtt.core.netty.Transport;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.Disconnect;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PingReq;
import io.umqtt.core.packet.PingResp;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.packet.Subscribe;
import io.umqtt.core.packet.Subscription;
import io.umqtt.core.packet.UnsubAck;
import io.umqtt.core.packet.Unsubscribe;
import io.umqtt.core.packet.Will;
import io.umqtt.core.session.InboundDelivery;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.session.Session;
import io.umqtt.core.session.SessionOutput;

/**
 * The network side of one {@link MqttClient}: the channel, the {@link Session}, keep-alive,
 * connect attempts and internal reconnection.
 * <p>
 * Everything here runs on one event loop, chosen when the client is made and kept across
 * reconnects, so the session's state needs no locks. Application threads reach it through two
 * queues (messages to publish, messages delivered and ready to acknowledge), each drained by one
 * task per batch that ends with a single flush.
 */
final class ClientEngine implements ConnectionEvents {

	/** Slots per chunk of the queue to the event loop. */
	private static final int OUTBOUND_CHUNK = 32;

	private final ClientConfig config;

	private final EventLoop loop;

	private final Session session;

	private final PacketDecoder decoder;

	/** TLS for the next connection; replaced by {@link #reloadSsl}. */
	private volatile SslContext sslContext;

	private volatile boolean verifyHostname;

	private final InboundQueue inbound;

	private final ClientEvents events;

	/**
	 * Messages on their way to the event loop: an array-backed multi-producer queue (no node per
	 * message), bounded by the publishers' slots ({@code outboundQueueCapacity}). Made by the
	 * first publish, so a client that only subscribes holds none.
	 */
	private volatile Queue<OutgoingMessage> outbound;

	private final AtomicBoolean drainScheduled = new AtomicBoolean();

	private final Queue<InboundDelivery> delivered = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean ackScheduled = new AtomicBoolean();

	private final AtomicBoolean resumeScheduled = new AtomicBoolean();

	private final Map<Integer, CompletableFuture<List<Integer>>> subscribeWaiters = new HashMap<>();

	private final Map<Integer, CompletableFuture<Void>> unsubscribeWaiters = new HashMap<>();

	/**
	 * What each pending UNSUBSCRIBE changes in the routes once acknowledged; kept until its
	 * UNSUBACK, also across reconnects.
	 */
	private final Map<Integer, Runnable> routeChanges = new HashMap<>();

	private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();

	/** QoS 0 publishes written since the last flush, completed when their batch is written. */
	private final List<CompletableFuture<Void>> writtenAtMostOnce = new ArrayList<>();

	private final AtomicLong reconnects = new AtomicLong();

	private final AtomicLong unexpectedAcks = new AtomicLong();

	private final RateLimitedLog unexpectedAckLog = new RateLimitedLog(
			org.slf4j.LoggerFactory.getLogger(ClientEngine.class), java.time.Duration.ofSeconds(10));

	/** The last session store failure, until the store records again; {@code null} while it works. */
	private volatile String storeFailure;

	/** How long DISCONNECT may take to be written before the socket is closed anyway. */
	private static final long DISCONNECT_WRITE_MILLIS = 1_000;

	private Channel channel;

	private KeepAlive keepAlive;

	private CompletableFuture<Boolean> attempt;

	private boolean attemptIsReconnect;

	/** Completed once a connection started with {@link #connectInBackground} succeeds or cannot. */
	private CompletableFuture<Boolean> background;

	private ScheduledFuture<?> connectTimer;

	private ScheduledFuture<?> reconnectTimer;

	private int failedReconnects;

	/** Written on the event loop; read by delivering threads. */
	private volatile boolean cleanSession = true;

	private boolean connected;

	private boolean userClosed;

	private boolean finished;

	private boolean needsFlush;

	/** Reused for what each session event asks for (see {@link #carryOut}); only the event loop touches it. */
	private final List<SessionOutput> scratch = new ArrayList<>(8);

	/** The encoder of {@link #channel}, written to directly by the event loop. */
	private MqttEncoderHandler encoder;

	private volatile boolean readingPaused;

	/** The inbound queue reached its capacity and has not drained to half since. */
	private boolean deliveryPaused;

	/** The inbound queue is at its bound: no packet is decoded (see {@link InboundQueue}). */
	private boolean gateClosed;

	/** QoS 0 messages dropped since the overflow last filled up. */
	private long droppedInOverflow;

	private volatile MqttStatus status = MqttStatus.ERROR;

	private volatile boolean sessionPresent;

	private volatile boolean everConnected;

	private volatile String lastError;

	private Will will;

	ClientEngine(ClientConfig config, EventLoop loop, InboundQueue inbound, ClientEvents events) {
		this.config = config;
		this.loop = loop;
		this.session = new Session(config.maxInflight(), config.sessionStore());
		this.session.onStoreFailure(this::storeFailed);
		this.session.maxPublishAttempts(config.maxPublishAttempts());
		io.umqtt.core.session.SessionStore.State stored = config.sessionStore().load();
		if (!stored.isEmpty()) {
			// a previous process's in-flight messages: resent when the broker resumes the session
			this.session.restore(stored);
		}
		this.decoder = new PacketDecoder(config.maxPacketSize());
		this.sslContext = config.ssl() ? ((config.sslParams() != null) ? config.sslParams() : SslParams.defaults())
			.toNettyContext() : null;
		this.verifyHostname = config.sslParams() == null || config.sslParams().verifyHostname();
		this.inbound = inbound;
		this.events = events;
	}

	EventLoop loop() {
		return this.loop;
	}

	/** The connection's status; ERROR while the session store fails, even when connected. */
	MqttStatus status() {
		MqttStatus current = this.status;
		return (current == MqttStatus.CONNECTED && this.storeFailure != null) ? MqttStatus.ERROR : current;
	}

	boolean sessionPresent() {
		return this.sessionPresent;
	}

	/** Whether the current (or last) connection was asked for with a clean session. */
	boolean cleanSession() {
		return this.cleanSession;
	}

	boolean everConnected() {
		return this.everConnected;
	}

	String lastError() {
		String store = this.storeFailure;
		return (store != null) ? store : this.lastError;
	}

	long unexpectedAcks() {
		return this.unexpectedAcks.get();
	}

	/** A session store call threw: reported now, and in status and lastError until the store works again. */
	private void storeFailed(String what, RuntimeException failure) {
		String text = "Session store failed " + what + ": " + failure;
		boolean first = this.storeFailure == null;
		this.storeFailure = text;
		if (first) {
			org.slf4j.LoggerFactory.getLogger(ClientEngine.class).warn("Client '{}': {}", this.config.clientId(),
					io.umqtt.core.topic.LogSafe.text(text), failure);
			this.events.error(text);
		}
	}

	long reconnects() {
		return this.reconnects.get();
	}

	void setWill(Will will) {
		this.loop.execute(() -> this.will = will);
	}

	/** Runs {@code task} on the event loop and waits for its result; at once when already on it. */
	<T> T call(java.util.concurrent.Callable<T> task) {
		if (this.loop.inEventLoop()) {
			try {
				return task.call();
			}
			catch (RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new MqttException(ex.getMessage(), ex);
			}
		}
		try {
			return this.loop.submit(task).get(this.config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MqttException("Interrupted", ex);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new MqttException(ex.getCause().getMessage(), ex.getCause());
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new MqttException("The client's event loop did not answer in time", ex);
		}
	}

	// ---- connecting ----

	/**
	 * Connects, or joins the attempt under way.
	 * @param clean clean session flag
	 * @return completes with the session-present flag, or fails with the reason
	 */
	CompletableFuture<Boolean> connect(boolean clean) {
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		this.loop.execute(() -> {
			if (settledBeforeConnecting(result)) {
				return;
			}
			if (this.reconnectTimer != null) {
				this.reconnectTimer.cancel(false);
				this.reconnectTimer = null;
			}
			if (this.attempt != null) {
				this.attempt.whenComplete((present, failure) -> complete(result, present, failure));
				return;
			}
			startAttempt(clean, false).whenComplete((present, failure) -> complete(result, present, failure));
		});
		return result;
	}

	/**
	 * Connects, retrying with back-off until a connection is accepted; status 1 meanwhile.
	 * Refusals 1, 2, 4 and 5, {@code close()} and {@code disconnect()} end the retries.
	 * @param clean clean session flag
	 * @return completes with the session-present flag, or fails when it cannot connect
	 */
	CompletableFuture<Boolean> connectInBackground(boolean clean) {
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		this.loop.execute(() -> {
			if (settledBeforeConnecting(result)) {
				return;
			}
			if (this.background != null) {
				this.background.whenComplete((present, failure) -> complete(result, present, failure));
				return;
			}
			this.background = result;
			if (this.attempt == null && this.reconnectTimer == null) {
				this.cleanSession = clean;
				startAttempt(clean, true);
			}
		});
		return result;
	}

	/**
	 * What every connect asks first, on the event loop: a disconnected client cannot connect, and
	 * a connected one is done at once. Clears a previous {@code close()}.
	 * @param result completed here when it is settled
	 * @return whether {@code result} was settled
	 */
	private boolean settledBeforeConnecting(CompletableFuture<Boolean> result) {
		if (this.finished) {
			result.completeExceptionally(new MqttException("The client is disconnected; make a new one"));
			return true;
		}
		this.userClosed = false;
		if (this.connected) {
			result.complete(this.sessionPresent);
			return true;
		}
		return false;
	}

	private void endBackground(Boolean present, Throwable failure) {
		CompletableFuture<Boolean> pending = this.background;
		this.background = null;
		if (pending != null) {
			complete(pending, present, failure);
		}
	}

	private static <T> void complete(CompletableFuture<T> target, T value, Throwable failure) {
		if (failure != null) {
			target.completeExceptionally(failure);
		}
		else {
			target.complete(value);
		}
	}

	private CompletableFuture<Boolean> startAttempt(boolean clean, boolean reconnect) {
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		this.cleanSession = clean;
		this.attempt = result;
		this.attemptIsReconnect = reconnect;
		this.status = MqttStatus.CONNECTING;
		MqttEncoderHandler encoder = new MqttEncoderHandler();
		Bootstrap bootstrap = new Bootstrap().group(this.loop)
			.channel(Transport.channelType())
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.SO_KEEPALIVE, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
					this.config.connectTimeout().toMillis()))
			.option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
			.handler(new MqttChannelInitializer(this, this.decoder, encoder, this.sslContext, this.verifyHostname,
					this.config.server(), this.config.port()));
		ChannelFuture connecting = bootstrap.connect(this.config.server(), this.config.port());
		Channel ch = connecting.channel();
		this.channel = ch;
		this.encoder = encoder;
		this.connectTimer = this.loop.schedule(
				() -> failAttempt(ch, new MqttException("Timed out after " + this.config.connectTimeout().toMillis()
						+ " ms connecting to " + this.config.address())),
				this.config.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
		connecting.addListener((ChannelFutureListener) (future) -> {
			if (!future.isSuccess()) {
				Throwable cause = future.cause();
				failAttempt(ch, new MqttException("Cannot connect to " + this.config.address() + ": "
						+ ((cause != null) ? cause.getMessage() : "cancelled"), cause));
			}
		});
		return result;
	}

	private void failAttempt(Channel ch, MqttException failure) {
		failAttempt(ch, failure, false);
	}

	private void failAttempt(Channel ch, MqttException failure, boolean unretriable) {
		if (this.attempt == null || ch != this.channel) {
			return;
		}
		cancelConnectTimer();
		CompletableFuture<Boolean> failed = this.attempt;
		boolean reconnect = this.attemptIsReconnect;
		this.attempt = null;
		this.channel = null;
		this.encoder = null;
		ch.close();
		this.lastError = failure.getMessage();
		int code = failure.returnCode();
		boolean permanent = unretriable || code == 1 || code == 2 || code == 4 || code == 5;
		if (reconnect && !this.userClosed && !this.finished && !permanent) {
			this.status = MqttStatus.CONNECTING;
			scheduleReconnect();
		}
		else {
			this.status = MqttStatus.ERROR;
			if (reconnect) {
				// Refused for a reason retrying will not fix: stop and say why.
				this.inbound.failOnce(failure);
				this.events.error(failure.getMessage());
			}
			endBackground(null, failure);
		}
		failed.completeExceptionally(failure);
	}

	private void cancelConnectTimer() {
		if (this.connectTimer != null) {
			this.connectTimer.cancel(false);
			this.connectTimer = null;
		}
	}

	private void scheduleReconnect() {
		long delay = this.config.reconnectBackoff().delayNanos(this.failedReconnects++);
		this.reconnectTimer = this.loop.schedule(() -> {
			this.reconnectTimer = null;
			if (!this.finished && !this.userClosed && !this.connected && this.attempt == null) {
				startAttempt(this.cleanSession, true);
			}
		}, delay, TimeUnit.NANOSECONDS);
	}

	@Override
	public void onReady(Channel ch) {
		if (ch != this.channel || this.attempt == null) {
			return;
		}
		Connect connect;
		try {
			connect = new Connect(this.config.protocolLevel(), this.cleanSession, this.config.keepalive(),
					this.config.clientId(), this.will, this.config.user(), this.config.password());
			io.umqtt.core.codec.PacketEncoder.checkConnect(connect);
		}
		catch (IllegalArgumentException ex) {
			// the same CONNECT would fail on every retry: final
			failAttempt(ch, new MqttException("CONNECT cannot be encoded: " + ex.getMessage(), ex), true);
			return;
		}
		ch.writeAndFlush(connect, ch.voidPromise());
	}

	private void onConnAck(Channel ch, ConnAck ack) {
		if (this.attempt == null) {
			protocolViolation(ch, "CONNACK when already connected");
			return;
		}
		if (!ack.accepted()) {
			failAttempt(ch, MqttException.refused(ack.returnCode()));
			return;
		}
		cancelConnectTimer();
		CompletableFuture<Boolean> succeeded = this.attempt;
		boolean reconnect = this.attemptIsReconnect;
		this.attempt = null;
		this.connected = true;
		this.everConnected = true;
		this.failedReconnects = 0;
		this.sessionPresent = ack.sessionPresent();
		this.lastError = null;
		this.inbound.clearFailure();
		if (this.config.keepalive() > 0) {
			this.keepAlive = new KeepAlive(this.loop, this.config.keepalive(), () -> sendPing(ch),
					(reason) -> connectionDead(ch, reason), () -> this.readingPaused);
			this.keepAlive.start();
		}
		this.session.onConnected(ack.sessionPresent(), this.scratch);
		carryOut(ch);
		this.status = MqttStatus.CONNECTED;
		// A first connection made in the background is not a reconnection.
		boolean firstInBackground = this.background != null;
		reconnect = reconnect && !firstInBackground;
		if (reconnect) {
			this.reconnects.incrementAndGet();
			this.events.error(ErrorCallback.RECONNECT_SUCCESS);
		}
		this.events.connected(ack.sessionPresent(), reconnect);
		succeeded.complete(ack.sessionPresent());
		endBackground(ack.sessionPresent(), null);
		drainOutbound();
		flushIfNeeded(ch);
	}

	// ---- reading ----

	@Override
	public void onPacket(Channel ch, Packet packet) {
		if (ch != this.channel) {
			releaseIfPublish(packet);
			return;
		}
		if (this.keepAlive != null) {
			this.keepAlive.onRead();
		}
		if (packet instanceof Publish publish) {
			onPublish(ch, publish);
		}
		else if (packet instanceof PubAck ack) {
			this.session.onPubAck(ack, this.scratch);
			carryOut(ch);
			afterCompletion();
			answered(ch);
		}
		else if (packet instanceof PubRec rec) {
			this.session.onPubRec(rec, this.scratch);
			carryOut(ch);
		}
		else if (packet instanceof PubComp comp) {
			this.session.onPubComp(comp, this.scratch);
			carryOut(ch);
			afterCompletion();
			answered(ch);
		}
		else if (packet instanceof PubRel rel) {
			this.session.onPubRel(rel, this.scratch);
			carryOut(ch);
		}
		else if (packet instanceof ConnAck ack) {
			onConnAck(ch, ack);
		}
		else if (packet instanceof SubAck ack) {
			onSubAck(ch, ack);
			answered(ch);
		}
		else if (packet instanceof UnsubAck ack) {
			this.session.onUnsubAck(ack, this.scratch);
			carryOut(ch);
			answered(ch);
		}
		else if (packet instanceof PingResp) {
			answered(ch);
		}
		else {
			protocolViolation(ch, "the server sent " + packet.getClass().getSimpleName().toUpperCase());
		}
	}

	@Override
	public void onReadComplete(Channel ch) {
		// one flush for everything the packets of this read caused (PUBRELs, acknowledgements,
		// queued publishes let into the window), not one per packet
		if (ch == this.channel) {
			flushIfNeeded(ch);
		}
	}

	private void onPublish(Channel ch, Publish publish) {
		if (!this.connected) {
			publish.payload().release();
			protocolViolation(ch, "PUBLISH before CONNACK");
			return;
		}
		if (publish.qos() == 0 && this.inbound.overflowFull()) {
			// decoded only because an answer is awaited behind it (see InboundQueue): at most once
			// allows dropping it, so the answer is read and nothing grows without bound
			if (this.droppedInOverflow++ == 0) {
				this.events.overflowDropping(this.inbound.size());
			}
			this.events.dropped(publish);
			publish.payload().release();
			return;
		}
		this.session.onPublish(publish, this.scratch);
		carryOut(ch);
	}

	private void deliver(Channel ch, InboundDelivery delivery) {
		this.inbound.add(delivery);
		this.events.received(delivery.publish());
		if (this.deliveryPaused || this.inbound.full()) {
			updateReading(ch);
		}
	}

	private void unsubscribed(Unsubscribe unsubscribe) {
		Runnable change = this.routeChanges.remove(unsubscribe.packetId());
		if (change != null) {
			// behind the messages that arrived before the UNSUBACK: they still reach the routes
			this.inbound.addRouteChange(change);
		}
		CompletableFuture<Void> waiter = this.unsubscribeWaiters.remove(unsubscribe.packetId());
		if (waiter != null) {
			waiter.complete(null);
		}
	}

	@Override
	public boolean acceptsPackets(Channel ch) {
		return !this.gateClosed || ch != this.channel;
	}

	/** Whether an answer from the broker is awaited, so that reading must go on. */
	private boolean awaitingAnswers() {
		return this.session.awaitingAnswers() || (this.keepAlive != null && this.keepAlive.awaitingResponse());
	}

	/** An answer arrived: perhaps none is awaited any more, and reading pauses. */
	private void answered(Channel ch) {
		if (this.deliveryPaused) {
			updateReading(ch);
		}
	}

	/** Something now awaits an answer: reading paused for delivery may have to go on. */
	private void awaitingAnswer(Channel ch) {
		if (this.readingPaused) {
			updateReading(ch);
		}
	}

	/**
	 * Decides whether the socket is read and packets decoded, from the inbound queue's fill and
	 * whether an answer is awaited (the policy is described on {@link InboundQueue}).
	 */
	private void updateReading(Channel ch) {
		if (ch == null || ch != this.channel) {
			return;
		}
		boolean awaiting = awaitingAnswers();
		if (!this.deliveryPaused) {
			this.deliveryPaused = this.inbound.full();
		}
		else if (this.inbound.drained()) {
			this.deliveryPaused = false;
		}
		boolean overflowFull = this.inbound.overflowFull();
		if (!overflowFull && this.droppedInOverflow > 0) {
			this.events.overflowDropped(this.droppedInOverflow);
			this.droppedInOverflow = 0;
		}
		boolean wasClosed = this.gateClosed;
		this.gateClosed = this.inbound.hardFull() || (overflowFull && !awaiting);
		boolean read = !this.gateClosed && (!this.deliveryPaused || awaiting);
		if (read == this.readingPaused) {
			this.readingPaused = !read;
			ch.config().setAutoRead(read);
		}
		if (wasClosed && !this.gateClosed && ch.pipeline().get("decoder") instanceof MqttDecoderHandler held) {
			held.decodeHeld(ch);
		}
	}

	/**
	 * An acknowledgement for a packet id not in flight: counted and logged, not a protocol
	 * violation. MQTT 3.1.1 names no rule it breaks, and it happens without fault: a broker may
	 * acknowledge a PUBLISH resent with DUP after a reconnect [MQTT-4.3.2-2, MQTT-4.4.0-1] for
	 * which an acknowledgement was already under way, and a PUBREC after the message was given up.
	 */
	private void unexpectedAck(String type, int packetId) {
		long count = this.unexpectedAcks.incrementAndGet();
		this.unexpectedAckLog.warn(() -> "Client '" + this.config.clientId() + "' got " + type + " for packet id "
				+ packetId + ", which is not in flight; ignored (" + count + " so far)", null);
	}

	private void gaveUp(OutgoingMessage givenUp) {
		String text = "Publish to '" + io.umqtt.core.topic.LogSafe.topic(givenUp.topic()) + "' (QoS " + givenUp.qos()
				+ ") given up: the connection closed " + givenUp.closedBeforeAck()
				+ " times before the broker acknowledged it";
		org.slf4j.LoggerFactory.getLogger(ClientEngine.class).warn("Client '{}': {}", this.config.clientId(), text);
		this.lastError = text;
	}

	private void onSubAck(Channel ch, SubAck ack) {
		Subscribe pending = this.session.pendingSubscribe(ack.packetId());
		if (pending != null && pending.subscriptions().size() != ack.returnCodes().size()) {
			// one return code per topic filter, in order [MQTT-3.9.3-1]
			MqttException violation = new MqttException("Protocol violation: SUBACK for packet id " + ack.packetId()
					+ " carries " + ack.returnCodes().size() + " return codes for " + pending.subscriptions().size()
					+ " topic filters [MQTT-3.9.3-1]");
			CompletableFuture<List<Integer>> waiter = this.subscribeWaiters.remove(ack.packetId());
			if (waiter != null) {
				waiter.completeExceptionally(violation);
			}
			onError(ch, violation);
			ch.close();
			return;
		}
		this.session.onSubAck(ack, this.scratch);
		carryOut(ch);
	}

	private void subscribed(Subscribe subscribe, SubAck ack) {
		CompletableFuture<List<Integer>> waiter = this.subscribeWaiters.remove(ack.packetId());
		if (waiter != null) {
			waiter.complete(ack.returnCodes());
		}
		else {
			List<Subscription> requested = subscribe.subscriptions();
			for (int i = 0; i < requested.size() && i < ack.returnCodes().size(); i++) {
				if (ack.returnCodes().get(i) == SubAck.FAILURE) {
					this.events.subscriptionRefused(requested.get(i).filter());
				}
			}
		}
	}

	private void protocolViolation(Channel ch, String what) {
		onError(ch, new MqttException("Protocol violation: " + what));
		ch.close();
	}

	private static void releaseIfPublish(Packet packet) {
		if (packet instanceof Publish publish) {
			publish.payload().release();
		}
	}

	// ---- writing ----

	/**
	 * Writes a packet, or a message's first PUBLISH, with a void promise: straight into the
	 * channel's encoder, the last outbound handler, without the walk through the pipeline.
	 */
	private void send(Channel ch, Object msg) {
		MqttEncoderHandler direct = (ch == this.channel) ? this.encoder : null;
		if (direct == null || !direct.append(msg)) {
			ch.write(msg, ch.voidPromise());
		}
	}

	/** Does what the last session event asked for, in order, and empties {@link #scratch}. */
	private void carryOut(Channel ch) {
		for (int i = 0; i < this.scratch.size(); i++) {
			SessionOutput output = this.scratch.get(i);
			// the sealed type's every case, the frequent first (a switch once the build is on Java 21)
			if (output instanceof OutgoingMessage message) {
				send(ch, message);
				this.needsFlush = true;
			}
			else if (output instanceof SessionOutput.Send send) {
				send(ch, send.packet());
				this.needsFlush = true;
			}
			else if (output instanceof InboundDelivery delivery) {
				deliver(ch, delivery);
			}
			else if (output instanceof SessionOutput.Discard discard) {
				discard.publish().payload().release();
			}
			else if (output instanceof SessionOutput.Unexpected ack) {
				unexpectedAck(ack.packetType(), ack.packetId());
			}
			else if (output instanceof SessionOutput.Subscribed answer) {
				subscribed(answer.request(), answer.ack());
			}
			else if (output instanceof SessionOutput.Unsubscribed answer) {
				unsubscribed(answer.request());
			}
			else if (output instanceof SessionOutput.GivenUp givenUp) {
				gaveUp(givenUp.message());
			}
		}
		this.scratch.clear();
	}

	/**
	 * Completes the QoS 0 publishes written since the last flush once the socket has taken them:
	 * an empty buffer written behind them completes when everything before it is written, one
	 * listener for the whole batch instead of one per message.
	 */
	private void completeWhenWritten(Channel ch) {
		@SuppressWarnings("unchecked")
		CompletableFuture<Void>[] waiting = this.writtenAtMostOnce.toArray(new CompletableFuture[0]);
		this.writtenAtMostOnce.clear();
		ch.write(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) (future) -> {
			for (CompletableFuture<Void> completion : waiting) {
				if (future.isSuccess()) {
					completion.complete(null);
				}
				else {
					completion.completeExceptionally(new MqttException("Write failed", future.cause()));
				}
			}
		});
	}

	private void flushIfNeeded(Channel ch) {
		if (this.needsFlush) {
			this.needsFlush = false;
			// the store reaches the disk before the packets that depend on it reach the network
			if (this.session.flushStore() && this.storeFailure != null && this.session.storeWorks()) {
				org.slf4j.LoggerFactory.getLogger(ClientEngine.class).info("Client '{}': the session store "
						+ "records again", this.config.clientId());
				this.storeFailure = null;
			}
			if (!this.writtenAtMostOnce.isEmpty()) {
				completeWhenWritten(ch);
			}
			ch.flush();
			if (this.keepAlive != null) {
				this.keepAlive.onWrite();
			}
		}
	}

	private void sendPing(Channel ch) {
		if (ch == this.channel && ch.isActive()) {
			ch.writeAndFlush(PingReq.INSTANCE, ch.voidPromise());
			awaitingAnswer(ch);
		}
	}

	/**
	 * Uses new TLS material from the next connection on, and drops the current one so that
	 * internal reconnection brings it back with the new material.
	 * @param params the new trust material and client certificate
	 */
	void reloadSsl(SslParams params) {
		SslContext reloaded = params.toNettyContext();
		this.loop.execute(() -> {
			this.sslContext = reloaded;
			this.verifyHostname = params.verifyHostname();
			Channel ch = this.channel;
			if (this.connected && ch != null) {
				this.lastError = "TLS material reloaded";
				ch.close();
			}
		});
	}

	/** Sends PINGREQ now (the reference's {@code ping()}). */
	void ping() {
		this.loop.execute(() -> {
			Channel ch = this.channel;
			if (this.connected && ch != null) {
				ch.writeAndFlush(PingReq.INSTANCE, ch.voidPromise());
				if (this.keepAlive != null) {
					this.keepAlive.onWrite();
					this.keepAlive.onPingSent();
				}
				awaitingAnswer(ch);
			}
		});
	}

	/** Hands a message to the event loop; the drain batches what has accumulated. */
	void submit(OutgoingMessage message) {
		outbound().add(message);
		if (this.drainScheduled.compareAndSet(false, true)) {
			this.loop.execute(this::drainOutbound);
		}
	}

	/** The queue to the event loop, made on first use. */
	private Queue<OutgoingMessage> outbound() {
		Queue<OutgoingMessage> queue = this.outbound;
		if (queue == null) {
			synchronized (this) {
				queue = this.outbound;
				if (queue == null) {
					// linked chunks of 32 slots, added while messages wait and dropped once taken;
					// the publishers' slots keep it within the capacity
					queue = PlatformDependent.newMpscQueue(OUTBOUND_CHUNK,
							Math.max(this.config.outboundQueueCapacity(), 64));
					this.outbound = queue;
				}
			}
		}
		return queue;
	}

	/** Whether messages wait in the queue to the event loop. */
	private boolean outboundWaiting() {
		Queue<OutgoingMessage> queue = this.outbound;
		return queue != null && !queue.isEmpty();
	}

	private void drainOutbound() {
		this.drainScheduled.set(false);
		Queue<OutgoingMessage> outbound = this.outbound;
		if (outbound == null) {
			return;
		}
		Channel ch = this.channel;
		int sent = 0;
		int taken = 0;
		boolean blocked = false;
		OutgoingMessage message;
		while (sent < 8192 && (!this.connected || ch.isWritable()) && (message = outbound.peek()) != null) {
			if (!this.connected && !this.finished && (this.config.reconn() || connectingNow())
					&& !makeOfflineRoom(message)) {
				// BLOCK: leave it in the queue to the network; publishers wait until reconnected,
				// and the CONNACK drains again
				blocked = true;
				break;
			}
			outbound.poll();
			taken++;
			if (this.finished) {
				message.fail(new MqttException("The client is disconnected"));
				continue;
			}
			if (!this.connected) {
				if (!this.config.reconn() && !connectingNow()) {
					message.fail(new MqttException("Not connected to "
							+ this.config.address() + " and internal reconnection is off"));
					continue;
				}
				if (offlineFull(message)) {
					message.fail(new MqttException("Offline buffer full (" + this.config.offlineQueueCapacity()
							+ " messages, " + this.config.offlineQueueBytes() + " bytes) while disconnected from "
							+ this.config.address()));
					continue;
				}
				this.session.publish(message, this.scratch);
				this.scratch.clear();
				continue;
			}
			if (message.qos() == 0 && this.session.queuedCount() == 0) {
				send(ch, message);
				// completed together when the batch they are in is written (see flushIfNeeded)
				this.writtenAtMostOnce.add(message.completion());
				this.needsFlush = true;
			}
			else {
				this.session.publish(message, this.scratch);
				carryOut(ch);
			}
			sent++;
		}
		if (taken > 0) {
			// one release for the batch: publishers waiting for room wake once, not per message
			this.events.outboundTaken(taken);
		}
		if (ch != null && this.connected) {
			flushIfNeeded(ch);
			awaitingAnswer(ch);
		}
		if (!blocked && !outbound.isEmpty() && (!this.connected || ch.isWritable())
				&& this.drainScheduled.compareAndSet(false, true)) {
			// More than one batch waiting: let other channels on this loop have a turn first.
			this.loop.execute(this::drainOutbound);
		}
		afterCompletion();
	}

	private boolean offlineFull(OutgoingMessage message) {
		return this.session.queuedCount() >= this.config.offlineQueueCapacity()
				|| this.session.queuedBytes() + message.payload().length > this.config.offlineQueueBytes();
	}

	/**
	 * Applies the overflow policy before an offline message is queued.
	 * @return false when the message must wait (BLOCK); true to go on (queued, or failed by FAIL_NEW)
	 */
	private boolean makeOfflineRoom(OutgoingMessage message) {
		switch (this.config.offlineOverflow()) {
			case BLOCK -> {
				return !offlineFull(message);
			}
			case DROP_OLDEST -> {
				while (offlineFull(message) && this.session.dropOldestQueued(new MqttException(
						"Dropped from the full offline buffer (oldest first) while disconnected from "
								+ this.config.address()))) {
					// dropped one
				}
				return true;
			}
			default -> {
				return true;
			}
		}
	}

	private boolean connectingNow() {
		return this.attempt != null;
	}

	@Override
	public void onWritable(Channel ch) {
		if (ch == this.channel && outboundWaiting() && this.drainScheduled.compareAndSet(false, true)) {
			drainOutbound();
		}
	}

	/** A delivered message may now be acknowledged. */
	void acknowledge(InboundDelivery delivery) {
		this.delivered.add(delivery);
		if (this.ackScheduled.compareAndSet(false, true)) {
			this.loop.execute(this::drainAcks);
		}
	}

	private void drainAcks() {
		this.ackScheduled.set(false);
		Channel ch = this.channel;
		InboundDelivery delivery;
		while ((delivery = this.delivered.poll()) != null) {
			this.session.onDelivered(delivery, this.scratch);
			if (this.connected && ch != null) {
				carryOut(ch);
			}
			else {
				this.scratch.clear();
			}
		}
		if (this.connected && ch != null) {
			flushIfNeeded(ch);
		}
		if (this.readingPaused) {
			updateReading(ch);
		}
	}

	/** A reader took messages out of the inbound queue. */
	void readerProgressed() {
		if (this.readingPaused && this.resumeScheduled.compareAndSet(false, true)) {
			this.loop.execute(() -> {
				this.resumeScheduled.set(false);
				if (this.readingPaused) {
					updateReading(this.channel);
				}
			});
		}
	}

	// ---- subscriptions ----

	CompletableFuture<List<Integer>> subscribe(List<Subscription> subscriptions) {
		CompletableFuture<List<Integer>> result = new CompletableFuture<>();
		this.loop.execute(() -> {
			if (this.finished) {
				result.completeExceptionally(new MqttException("The client is disconnected"));
				return;
			}
			if (!this.connected && !this.config.reconn() && this.attempt == null) {
				result.completeExceptionally(new MqttException("Not connected to " + this.config.address()));
				return;
			}
			Subscribe subscribe = this.session.subscribe(subscriptions, this.scratch);
			this.subscribeWaiters.put(subscribe.packetId(), result);
			sendRequest();
		});
		return result;
	}

	/**
	 * Unsubscribes.
	 * @param filters the filters
	 * @param routeChange run by the reader of the inbound queue once the UNSUBACK has arrived and
	 * the messages received before it have been taken
	 * @return completes at the UNSUBACK
	 */
	CompletableFuture<Void> unsubscribe(List<String> filters, Runnable routeChange) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		this.loop.execute(() -> {
			if (this.finished) {
				result.completeExceptionally(new MqttException("The client is disconnected"));
				return;
			}
			Unsubscribe unsubscribe = this.session.unsubscribe(filters, this.scratch);
			this.unsubscribeWaiters.put(unsubscribe.packetId(), result);
			this.routeChanges.put(unsubscribe.packetId(), routeChange);
			sendRequest();
		});
		return result;
	}

	/** Sends the request the session just built; while disconnected it goes out on the next connection. */
	private void sendRequest() {
		Channel ch = this.channel;
		if (this.connected && ch != null) {
			carryOut(ch);
			flushIfNeeded(ch);
			awaitingAnswer(ch);
		}
		this.scratch.clear();
	}

	/** Forgets a waiter that gave up (timed out). */
	void abandonSubscribe(CompletableFuture<List<Integer>> waiter) {
		this.loop.execute(() -> this.subscribeWaiters.values().remove(waiter));
	}

	java.util.Map<String, Integer> subscriptions() {
		return call(this.session::subscriptions);
	}

	// ---- losing the connection ----

	@Override
	public void onError(Channel ch, Throwable cause) {
		String text = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		this.events.channelError(text, cause);
		if (ch != this.channel) {
			return;
		}
		this.lastError = text;
		if (this.attempt != null) {
			failAttempt(ch, (cause instanceof MqttException mqtt) ? mqtt
					: new MqttException("Connection to " + this.config.address() + " failed: " + text, cause));
		}
	}

	private void connectionDead(Channel ch, String reason) {
		if (ch == this.channel) {
			this.lastError = reason;
			ch.close();
		}
	}

	@Override
	public void onClosed(Channel ch) {
		if (ch != this.channel) {
			return;
		}
		if (this.attempt != null) {
			failAttempt(ch, new MqttException("Connection to " + this.config.address()
					+ " closed before CONNACK" + ((this.lastError != null) ? ": " + this.lastError : "")));
			return;
		}
		this.channel = null;
		this.encoder = null;
		boolean wasConnected = this.connected;
		this.connected = false;
		this.readingPaused = false;
		this.deliveryPaused = false;
		this.gateClosed = false;
		this.droppedInOverflow = 0;
		if (this.keepAlive != null) {
			this.keepAlive.stop();
			this.keepAlive = null;
		}
		this.session.onDisconnected(this.scratch);
		carryOut(ch);
		if (!this.writtenAtMostOnce.isEmpty()) {
			// written but never flushed: the socket did not take them
			MqttException lost = new MqttException("Connection to " + this.config.address() + " closed before the write");
			this.writtenAtMostOnce.forEach((completion) -> completion.completeExceptionally(lost));
			this.writtenAtMostOnce.clear();
		}
		if (!wasConnected || this.finished) {
			return;
		}
		String reason = (this.lastError != null) ? this.lastError : "Server closed the connection";
		boolean serverClosed = this.lastError == null;
		// kept for operators (health) until the next connection is accepted
		this.lastError = reason;
		this.events.connectionLost(reason);
		if (this.userClosed) {
			this.status = MqttStatus.ERROR;
			return;
		}
		if (this.config.reconn()) {
			this.status = MqttStatus.CONNECTING;
			this.events.error(ErrorCallback.RECONNECT_START);
			scheduleReconnect();
			return;
		}
		this.status = serverClosed ? MqttStatus.SERVER_CLOSED : MqttStatus.ERROR;
		failWaiters(new MqttException("Connection lost: " + reason));
		this.inbound.failOnce(new MqttException("Connection lost: " + reason));
		this.events.error(reason);
	}

	private void failWaiters(MqttException failure) {
		this.subscribeWaiters.values().forEach((waiter) -> waiter.completeExceptionally(failure));
		this.subscribeWaiters.clear();
		this.unsubscribeWaiters.values().forEach((waiter) -> waiter.completeExceptionally(failure));
		this.unsubscribeWaiters.clear();
	}

	// ---- closing ----

	/** Drops the socket, no DISCONNECT; state stays so that {@code connect()} can follow. */
	CompletableFuture<Void> close() {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.loop.execute(() -> {
			this.userClosed = true;
			if (this.reconnectTimer != null) {
				this.reconnectTimer.cancel(false);
				this.reconnectTimer = null;
			}
			endBackground(null, new MqttException("Closed while connecting"));
			Channel ch = this.channel;
			if (this.attempt != null) {
				failAttempt(ch, new MqttException("Closed while connecting"));
			}
			this.status = MqttStatus.ERROR;
			if (ch != null) {
				ch.close().addListener((f) -> done.complete(null));
			}
			else {
				done.complete(null);
			}
		});
		return done;
	}

	/** Completes when nothing is in flight or queued. */
	CompletableFuture<Void> whenIdle() {
		CompletableFuture<Void> idle = new CompletableFuture<>();
		this.loop.execute(() -> {
			this.idleWaiters.add(idle);
			afterCompletion();
		});
		return idle;
	}

	private void afterCompletion() {
		if (!this.idleWaiters.isEmpty() && this.session.inflightCount() == 0 && this.session.queuedCount() == 0
				&& !outboundWaiting()) {
			this.idleWaiters.forEach((waiter) -> waiter.complete(null));
			this.idleWaiters.clear();
		}
	}

	/** DISCONNECT, then release everything; final. */
	CompletableFuture<Void> disconnect() {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.loop.execute(() -> {
			if (this.finished) {
				done.complete(null);
				return;
			}
			this.finished = true;
			if (this.reconnectTimer != null) {
				this.reconnectTimer.cancel(false);
				this.reconnectTimer = null;
			}
			endBackground(null, new MqttException("Disconnected while connecting"));
			MqttException disconnected = new MqttException("The client is disconnected");
			Channel ch = this.channel;
			if (this.attempt != null) {
				failAttempt(ch, new MqttException("Disconnected while connecting"));
				ch = null;
			}
			if (this.keepAlive != null) {
				this.keepAlive.stop();
				this.keepAlive = null;
			}
			this.channel = null;
			this.encoder = null;
			this.connected = false;
			this.status = MqttStatus.ERROR;
			this.session.failAll(disconnected);
			OutgoingMessage message;
			while (this.outbound != null && (message = this.outbound.poll()) != null) {
				this.events.outboundTaken(1);
				message.fail(disconnected);
			}
			failWaiters(disconnected);
			this.routeChanges.clear();
			this.idleWaiters.forEach((waiter) -> waiter.complete(null));
			this.idleWaiters.clear();
			if (ch != null && ch.isActive()) {
				// DISCONNECT tells the broker to drop the will [MQTT-3.14.4-3]
				ch.writeAndFlush(Disconnect.INSTANCE).addListener(ChannelFutureListener.CLOSE);
				// a peer that stopped reading never takes it: close anyway, after a bounded wait
				Channel closing = ch;
				ScheduledFuture<?> bound = this.loop.schedule(() -> {
					closing.close();
				}, DISCONNECT_WRITE_MILLIS, TimeUnit.MILLISECONDS);
				ch.closeFuture().addListener((f) -> {
					bound.cancel(false);
					done.complete(null);
				});
			}
			else {
				if (ch != null) {
					ch.close();
				}
				done.complete(null);
			}
		});
		return done;
	}

	/**
	 * What the engine tells the client about. Called on the event loop; implementations pass
	 * anything that runs application code to another thread.
	 */
	interface ClientEvents {

		void error(String text);

		void connected(boolean sessionPresent, boolean reconnect);

		void connectionLost(String reason);

		void subscriptionRefused(String filter);

		void channelError(String text, Throwable cause);

		void received(Publish publish);

		/** A QoS 0 message was dropped from the full overflow (see {@link InboundQueue}). */
		void dropped(Publish publish);

		/** The overflow is full and QoS 0 messages are being dropped. */
		void overflowDropping(int queued);

		/** The overflow has room again, after {@code count} QoS 0 messages were dropped. */
		void overflowDropped(long count);

		void outboundTaken(int count);

	}

}
