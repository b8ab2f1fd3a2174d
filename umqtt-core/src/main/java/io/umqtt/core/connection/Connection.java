package io.umqtt.core.connection;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.umqtt.core.ErrorCallback;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import io.umqtt.core.ReasonCode;
import io.umqtt.core.ServerLimits;
import io.umqtt.core.SslParams;
import io.umqtt.core.codec.MalformedPacketException;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.netty.ConnectionEvents;
import io.umqtt.core.netty.KeepAlive;
import io.umqtt.core.netty.MqttEncoderHandler;
import io.umqtt.core.packet.Auth;
import io.umqtt.core.netty.OutboundTopicAliases;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.Disconnect;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.packet.UnsubAck;
import io.umqtt.core.packet.Will;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.session.Session;
import io.umqtt.core.session.SessionStore;
import io.umqtt.core.topic.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side of one client: the connection's lifecycle ({@link ConnectionState}),
 * connect attempts and internal reconnection, and the one dispatch of every packet read.
 * The way out is the {@link Outbox}, the way in the {@link Inbox}, requests wait in
 * {@link Requests}, and every write goes through the {@link ChannelWriter}.
 * <p>
 * Everything here runs on one event loop, chosen when the client is made and kept across
 * reconnects, so the session's state needs no locks. The public methods hop onto it.
 */
public final class Connection implements ConnectionEvents {

	private static final Logger logger = LoggerFactory.getLogger(Connection.class);

	private final ClientConfig config;

	private final EventLoop loop;

	private final Session session;

	private final ClientEvents events;

	private final ConnectionBootstrap bootstrap;

	private final Reconnector reconnector;

	private final ChannelWriter writer;

	private final Outbox outbox;

	private final Inbox inbox;

	private final Requests requests;

	private final SessionOutputs outputs;

	private volatile ConnectionState state = ConnectionState.IDLE;

	/**
	 * The channel of the attempt under way or of the connection; {@code null} otherwise.
	 */
	private Channel channel;

	private MqttEncoderHandler encoder;

	private ScheduledFuture<?> connectTimer;

	/** {@code close()} was asked for; cleared by the next connect. */
	private boolean userClosed;

	/**
	 * This side closes the current connection (keep-alive, a protocol error, close, TLS
	 * reload).
	 */
	private boolean closingHere;

	/** Written on the event loop; read by delivering threads. */
	private volatile boolean cleanSession = true;

	private volatile boolean sessionPresent;

	private volatile boolean everConnected;

	/**
	 * The broker holds a session for this client: the last connection accepted asked to
	 * keep it (clean session false). A CONNACK without it after that means the broker
	 * lost it.
	 */
	private boolean brokerKeepsSession;

	/** Whether the broker keeps the session after the current (or last) connection. */
	private volatile boolean sessionKept;

	private volatile String lastError;

	private final StoreHealth storeHealth;

	private Will will;

	/** What the server of the last MQTT 5 connection announced. */
	private volatile ServerLimits serverLimits = ServerLimits.DEFAULTS;

	private final ServerDisconnect serverDisconnect = new ServerDisconnect();

	private volatile String assignedClientId;

	/**
	 * MQTT 5: the topics of the server's Topic Aliases on this connection, by alias;
	 * {@code null} when the client accepts none. Event loop only.
	 */
	private String[] inboundAliases;

	/** MQTT 5: the client's Receive Maximum on the connection; {@code null} on 3.1.1. */
	private final InboundQuota inboundQuota;

	/** MQTT 5 enhanced authentication. Event loop only. */
	private final Authentication authentication;

	public Connection(ClientConfig config, EventLoop loop, ClientEvents events) {
		this(config, loop, events, new ConnectionBootstrap(config, loop,
				new PacketDecoder(config.maxPacketSize(), config.protocolLevel())));
	}

	Connection(ClientConfig config, EventLoop loop, ClientEvents events, ConnectionBootstrap bootstrap) {
		this.config = config;
		this.loop = loop;
		this.events = events;
		this.authentication = new Authentication(config.isMqtt5() ? config.mqtt5().authenticator() : null);
		this.session = new Session(config.maxInflight(), config.sessionStore());
		this.storeHealth = new StoreHealth(config.clientId(), events);
		this.session.onStoreFailure(this.storeHealth::failed);
		this.session.maxPublishAttempts(config.maxPublishAttempts());
		SessionStore.State stored = config.sessionStore().load();
		if (!stored.isEmpty()) {
			// a previous process's in-flight messages: resent when the broker resumes the
			// session
			this.session.restore(stored);
		}
		this.bootstrap = bootstrap;
		this.reconnector = new Reconnector(loop, config.reconnectBackoff());
		this.inboundQuota = config.isMqtt5() ? new InboundQuota(config.mqtt5().receiveMaximum()) : null;
		this.writer = new ChannelWriter(this.session, () -> this.storeHealth.flushed(this.session), this.inboundQuota);
		this.outputs = new SessionOutputs(this.writer);
		this.inbox = new Inbox(config, loop, this.session, this.writer, this.outputs, events, new Inbox.Redelivery() {

			@Override
			public boolean persistent() {
				return Connection.this.sessionKept;
			}

			@Override
			public boolean reconnect(Channel ch, long released) {
				return reconnectForRedelivery(ch, released);
			}

		});
		this.outbox = new Outbox(config, loop, this.session, this.writer, this.outputs, this::state, this::afterDrain);
		this.requests = new Requests(config, loop, this.session, this.writer, this.outputs, this.inbox, events,
				this.outbox::waiting, this::state);
		this.outputs.wire(this.inbox, this.outbox, this.requests, this::gaveUp);
	}

	public EventLoop loop() {
		return this.loop;
	}

	public Outbox outbox() {
		return this.outbox;
	}

	public Inbox inbox() {
		return this.inbox;
	}

	/** The state now; any thread. */
	public ConnectionState state() {
		return this.state;
	}

	/**
	 * The status, from the state; ERROR while the session store fails, even when
	 * connected.
	 */
	public MqttStatus status() {
		MqttStatus current = this.state.status();
		return (current == MqttStatus.CONNECTED && this.storeHealth.failure() != null) ? MqttStatus.ERROR : current;
	}

	public boolean sessionPresent() {
		return this.sessionPresent;
	}

	/**
	 * Whether the broker keeps the session after the current (or last) connection, so
	 * that it sends unacknowledged messages again; see {@link SessionExpiry}.
	 */
	public boolean sessionKept() {
		return this.sessionKept;
	}

	/** Whether the current (or last) connection was asked for with a clean session. */
	public boolean cleanSession() {
		return this.cleanSession;
	}

	/**
	 * What the server announced in the last MQTT 5 CONNACK; the protocol's defaults
	 * before one and on 3.1.1.
	 */
	public ServerLimits serverLimits() {
		return this.serverLimits;
	}

	/** The client identifier the server assigned, or {@code null}. */
	public String assignedClientId() {
		return this.assignedClientId;
	}

	public boolean everConnected() {
		return this.everConnected;
	}

	public String lastError() {
		String store = this.storeHealth.failure();
		return (store != null) ? store : this.lastError;
	}

	public long reconnects() {
		return this.reconnector.reconnects();
	}

	public void setWill(Will will) {
		this.loop.execute(() -> this.will = will);
	}

	// ---- connecting ----

	/**
	 * Connects, or joins the attempt under way; completes with the session-present flag.
	 */
	public CompletableFuture<Boolean> connect(boolean clean) {
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		this.loop.execute(() -> {
			if (settledBeforeConnecting(result)) {
				return;
			}
			this.reconnector.cancel();
			CompletableFuture<Boolean> attempt = (this.state instanceof ConnectionState.Connecting connecting)
					? connecting.attempt() : startAttempt(clean, false);
			attempt.whenComplete((present, failure) -> Reconnector.complete(result, present, failure));
		});
		return result;
	}

	/**
	 * Connects, retrying until accepted; a final refusal, {@code close()} or
	 * {@code disconnect()} ends it.
	 */
	public CompletableFuture<Boolean> connectInBackground(boolean clean) {
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		this.loop.execute(() -> {
			if (settledBeforeConnecting(result)) {
				return;
			}
			CompletableFuture<Boolean> running = this.reconnector.background();
			if (running != null) {
				running.whenComplete((present, failure) -> Reconnector.complete(result, present, failure));
				return;
			}
			this.reconnector.startBackground(result);
			if (!(this.state instanceof ConnectionState.Connecting) && !this.reconnector.scheduled()) {
				startAttempt(clean, true);
			}
		});
		return result;
	}

	/**
	 * Settles a connect of a disconnected or connected client at once; clears a previous
	 * close.
	 */
	private boolean settledBeforeConnecting(CompletableFuture<Boolean> result) {
		if (this.state instanceof ConnectionState.Finished) {
			result.completeExceptionally(new MqttException("The client is disconnected; make a new one"));
			return true;
		}
		this.userClosed = false;
		if (this.writer.attached()) {
			result.complete(this.sessionPresent);
			return true;
		}
		return false;
	}

	private CompletableFuture<Boolean> startAttempt(boolean clean, boolean reconnect) {
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		this.cleanSession = clean;
		this.sessionKept = SessionExpiry.outlivesConnection(this.config, clean, null);
		this.state = new ConnectionState.Connecting(result, reconnect);
		MqttEncoderHandler encoder = this.config.isMqtt5() ? new MqttEncoderHandler(PacketEncoder.MQTT_5)
				: new MqttEncoderHandler();
		ChannelFuture connecting = this.bootstrap.connect(this, encoder);
		Channel ch = connecting.channel();
		this.channel = ch;
		this.encoder = encoder;
		this.connectTimer = this.loop.schedule(
				() -> failAttempt(ch,
						new MqttException("Timed out after " + this.config.connectTimeout().toMillis()
								+ " ms connecting to " + this.config.address()),
						false),
				this.config.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
		connecting.addListener((ChannelFutureListener) (future) -> {
			if (!future.isSuccess()) {
				Throwable cause = future.cause();
				failAttempt(ch, new MqttException("Cannot connect to " + this.config.address() + ": "
						+ ((cause != null) ? cause.getMessage() : "cancelled"), cause), false);
			}
		});
		return result;
	}

	private void failAttempt(Channel ch, MqttException failure, boolean unretriable) {
		if (this.state instanceof ConnectionState.Connecting connecting && ch == this.channel) {
			endAttempt(connecting, ch, failure, unretriable);
		}
	}

	private void endAttempt(ConnectionState.Connecting connecting, Channel ch, MqttException failure,
			boolean unretriable) {
		cancelConnectTimer();
		this.channel = null;
		ch.close();
		this.lastError = failure.getMessage();
		// the broker is not taking connections: the close before was no rejection of a
		// PUBLISH
		this.session.onConnectFailed();
		boolean permanent = unretriable || Backoff.isFinal(failure.returnCode());
		boolean finished = this.state instanceof ConnectionState.Finished;
		if (connecting.reconnect() && !this.userClosed && !finished && !permanent) {
			scheduleReconnect();
		}
		else {
			if (!finished) {
				this.state = new ConnectionState.Closed(false);
			}
			if (connecting.reconnect()) {
				// refused for a reason retrying will not fix: stop and say why
				this.inbox.queue().failOnce(failure);
				this.events.error(failure.getMessage());
			}
			this.reconnector.endBackground(null, failure);
		}
		connecting.attempt().completeExceptionally(failure);
	}

	private void cancelConnectTimer() {
		if (this.connectTimer != null) {
			this.connectTimer.cancel(false);
			this.connectTimer = null;
		}
	}

	private void scheduleReconnect() {
		this.state = new ConnectionState.WaitingToReconnect();
		this.reconnector.schedule(() -> {
			if (this.state instanceof ConnectionState.WaitingToReconnect && !this.userClosed) {
				startAttempt(this.cleanSession, true);
			}
		});
	}

	@Override
	public void onReady(Channel ch) {
		if (ch != this.channel || !(this.state instanceof ConnectionState.Connecting)) {
			return;
		}
		Connect connect;
		try {
			connect = new Connect(this.config.protocolLevel(), this.cleanSession, this.config.keepalive(),
					this.config.clientId(), this.will, this.config.user(), this.config.password(),
					this.config.isMqtt5() ? this.config.mqtt5().connectProperties(this.config.maxPacketSize())
							: PacketProperties.NONE);
			PacketEncoder.checkConnect(connect);
		}
		catch (IllegalArgumentException ex) {
			// the same CONNECT would fail on every retry: final
			failAttempt(ch, new MqttException("CONNECT cannot be encoded: " + ex.getMessage(), ex), true);
			return;
		}
		ch.writeAndFlush(connect, ch.voidPromise());
	}

	private void onConnAck(Channel ch, ConnAck ack) {
		if (!(this.state instanceof ConnectionState.Connecting connecting)) {
			protocolViolation(ch, "CONNACK when already connected");
			return;
		}
		if (!ack.accepted()) {
			String reason = ack.properties().reasonString();
			failAttempt(ch,
					this.config.isMqtt5()
							? MqttException.refused5(ack.reasonCode(),
									(reason != null) ? this.config.masked(reason) : null)
							: MqttException.refused(ack.returnCode()),
					false);
			return;
		}
		cancelConnectTimer();
		this.everConnected = true;
		this.reconnector.succeeded();
		this.serverDisconnect.accepted();
		this.sessionPresent = ack.sessionPresent();
		this.lastError = null;
		this.closingHere = false;
		this.inbox.queue().clearFailure();
		int keepalive = this.config.keepalive();
		if (this.config.isMqtt5()) {
			ServerLimits limits = Mqtt5Options.serverLimits(ack.properties());
			this.serverLimits = limits;
			this.assignedClientId = ack.properties().assignedClientIdentifier();
			// aliases are per connection [MQTT-3.3.2-7]
			int aliases = this.config.mqtt5().topicAliasMaximum();
			this.inboundAliases = (aliases > 0) ? new String[aliases + 1] : null;
			if (this.config.mqtt5().topicAliases() && limits.topicAliasMaximum() > 0) {
				this.encoder.topicAliases(new OutboundTopicAliases(limits.topicAliasMaximum()));
			}
			if (limits.serverKeepAlive() != null) {
				// the server's keep-alive replaces the client's [MQTT-3.2.2-21]
				keepalive = (int) limits.serverKeepAlive().getSeconds();
			}
		}
		KeepAlive keepAlive = null;
		if (keepalive > 0) {
			keepAlive = new KeepAlive(this.loop, keepalive, () -> this.requests.ping(ch),
					(reason) -> connectionDead(ch, reason), this.inbox::readingPaused);
			keepAlive.start();
		}
		this.writer.attach(ch, this.encoder, keepAlive);
		this.state = new ConnectionState.Connected();
		if (this.brokerKeepsSession && !this.cleanSession && !ack.sessionPresent()) {
			// the broker lost the session it kept: it restarted, and the close before
			// rejected nothing
			this.session.onSessionLost();
		}
		this.brokerKeepsSession = SessionExpiry.outlivesConnection(this.config, this.cleanSession, ack);
		this.sessionKept = this.brokerKeepsSession;
		this.session.serverReceiveMaximum(this.serverLimits.receiveMaximum());
		this.session.onConnected(ack.sessionPresent(), this.outputs.scratch());
		this.outputs.carryOut();
		// a first connection made in the background is not a reconnection
		boolean reconnect = connecting.reconnect() && this.reconnector.background() == null;
		if (reconnect) {
			this.reconnector.reconnected();
			this.events.error(ErrorCallback.RECONNECT_SUCCESS);
		}
		this.events.connected(ack.sessionPresent(), reconnect);
		connecting.attempt().complete(ack.sessionPresent());
		this.reconnector.endBackground(ack.sessionPresent(), null);
		this.outbox.drain();
		this.writer.flush();
	}

	@Override
	public void onPacket(Channel ch, Packet packet) {
		if (ch != this.channel) {
			if (packet instanceof Publish publish) {
				publish.payload().release();
			}
			return;
		}
		this.writer.read();
		// one case per MQTT packet type, every type the decoder makes (see Packet's
		// permitted types)
		switch (packet.type()) {
			case 3 -> onPublish(ch, (Publish) packet);
			case 4 -> {
				this.outbox.onPubAck((PubAck) packet);
				this.requests.afterCompletion();
				this.inbox.answered(ch);
			}
			case 5 -> {
				PubRec rec = (PubRec) packet;
				this.outbox.onPubRec(rec);
				if (rec.reasonCode() >= ReasonCode.UNSPECIFIED_ERROR) {
					// MQTT 5: refused, the QoS 2 exchange ends here
					this.requests.afterCompletion();
					this.inbox.answered(ch);
				}
			}
			case 7 -> {
				this.outbox.onPubComp((PubComp) packet);
				this.requests.afterCompletion();
				this.inbox.answered(ch);
			}
			case 6 -> this.inbox.onPubRel((PubRel) packet);
			case 2 -> onConnAck(ch, (ConnAck) packet);
			case 9 -> {
				MqttException violation = this.requests.onSubAck((SubAck) packet);
				if (violation != null) {
					onError(ch, violation);
					ch.close();
					return;
				}
				this.inbox.answered(ch);
			}
			case 11 -> {
				this.requests.onUnsubAck((UnsubAck) packet);
				this.inbox.answered(ch);
			}
			case 13 -> this.inbox.answered(ch);
			case 14 -> onDisconnect(ch, (Disconnect) packet);
			case 15 -> onAuth(ch, (Auth) packet);
			// CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT: only a client sends
			// those
			default -> protocolViolation(ch, "the server sent " + packet.getClass().getSimpleName().toUpperCase());
		}
	}

	/** MQTT 5: the server ends the connection; see {@link ServerDisconnect}. */
	private void onDisconnect(Channel ch, Disconnect disconnect) {
		if (!this.config.isMqtt5()) {
			protocolViolation(ch, "the server sent DISCONNECT");
			return;
		}
		this.lastError = this.serverDisconnect.received(disconnect);
		this.closingHere = true;
		this.events.error(this.lastError);
		ch.close();
	}

	/** MQTT 5: a step of enhanced authentication; see {@link Authentication}. */
	private void onAuth(Channel ch, Auth auth) {
		Authentication.Step step = this.authentication.onAuth(auth, this.state instanceof ConnectionState.Connecting);
		if (step.violation() != null) {
			protocolError(ch, step.reasonCode(), step.violation());
		}
		else if (step.reply() != null) {
			ch.writeAndFlush(step.reply(), ch.voidPromise());
		}
	}

	/**
	 * MQTT 5: re-authenticates with the authenticator; see {@link Authentication}.
	 * @return completes on the server's AUTH Success, fails when the connection ends
	 * first
	 */
	public CompletableFuture<Void> reauthenticate() {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.loop.execute(() -> {
			Channel ch = this.channel;
			if (!this.config.isMqtt5() || ch == null || !this.writer.attached()) {
				done.completeExceptionally(new MqttException("Re-authentication needs an MQTT 5 connection"));
				return;
			}
			try {
				ch.writeAndFlush(this.authentication.reauthenticate(done), ch.voidPromise());
			}
			catch (MqttException ex) {
				done.completeExceptionally(ex);
			}
		});
		return done;
	}

	@Override
	public void onReadComplete(Channel ch) {
		// one flush for everything the packets of this read caused, not one per packet
		if (ch == this.channel) {
			this.writer.readComplete();
		}
	}

	private void onPublish(Channel ch, Publish publish) {
		if (!this.writer.attached()) {
			publish.payload().release();
			protocolViolation(ch, "PUBLISH before CONNACK");
			return;
		}
		if (this.inboundQuota != null && this.inboundQuota.exceededBy(publish)) {
			publish.payload().release();
			protocolError(ch, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "More than the client's Receive Maximum of "
					+ this.inboundQuota.receiveMaximum() + " QoS 1/2 PUBLISHes unacknowledged [MQTT-3.3.4-9]");
			return;
		}
		Publish resolved = publish;
		if (this.inboundAliases != null && publish.properties().topicAlias() != PacketProperties.ABSENT) {
			resolved = resolveAlias(ch, publish);
			if (resolved == null) {
				return;
			}
		}
		this.inbox.onPublish(ch, resolved);
	}

	/**
	 * MQTT 5: the PUBLISH with the topic its Topic Alias stands for, the alias learned
	 * when the PUBLISH names a topic; {@code null}, the connection closing with
	 * DISCONNECT 0x94 or 0x82, for an alias above our maximum or one not yet set.
	 */
	private Publish resolveAlias(Channel ch, Publish publish) {
		int alias = publish.properties().topicAlias();
		if (alias > this.inboundAliases.length - 1) {
			publish.payload().release();
			protocolError(ch, ReasonCode.TOPIC_ALIAS_INVALID, "Topic Alias " + alias + " is above the maximum of "
					+ (this.inboundAliases.length - 1) + " the client announced [MQTT-3.3.2-11]");
			return null;
		}
		if (!publish.topic().isEmpty()) {
			this.inboundAliases[alias] = publish.topic();
			return publish;
		}
		String topic = this.inboundAliases[alias];
		if (topic == null) {
			publish.payload().release();
			protocolError(ch, ReasonCode.PROTOCOL_ERROR, "Topic Alias " + alias + " not set on this connection");
			return null;
		}
		return new Publish(topic, publish.qos(), publish.retain(), publish.dup(), publish.packetId(), publish.payload(),
				publish.properties());
	}

	/**
	 * MQTT 5: a protocol error by the server: DISCONNECT with {@code reasonCode}, then
	 * the connection closes as after {@link #protocolViolation}.
	 */
	private void protocolError(Channel ch, int reasonCode, String what) {
		ch.writeAndFlush(new Disconnect(reasonCode, PacketProperties.NONE), ch.voidPromise());
		protocolViolation(ch, what + ", sent DISCONNECT " + ReasonCode.describe(reasonCode, 14));
	}

	@Override
	public boolean acceptsPackets(Channel ch) {
		return this.inbox.acceptsPackets(ch);
	}

	@Override
	public void onWritable(Channel ch) {
		if (ch == this.channel) {
			this.outbox.onWritable();
		}
	}

	/**
	 * After the outbox drained: answers may be awaited now, and the client may be idle.
	 */
	private void afterDrain() {
		if (this.writer.attached()) {
			this.inbox.awaitingAnswer();
		}
		this.requests.afterCompletion();
	}

	private void protocolViolation(Channel ch, String what) {
		onError(ch, new MqttException("Protocol violation: " + what));
		ch.close();
	}

	/**
	 * Messages were released unacknowledged beyond the inbound queue's hard bound, and
	 * the queue has drained: the connection is closed so that the broker, on the next
	 * one, sends them again.
	 */
	private boolean reconnectForRedelivery(Channel ch, long released) {
		if (ch != this.channel || !this.writer.attached()) {
			return false;
		}
		if (!this.config.reconn()) {
			logger.warn("Client '{}': {} QoS 1/2 messages were released unacknowledged at the inbound queue's "
					+ "hard bound; the broker sends them again on the next connection (internal reconnection is off, "
					+ "so this one is kept)", this.config.clientId(), released);
			return false;
		}
		logger.warn(
				"Client '{}': reconnecting so that the broker sends again the {} QoS 1/2 messages released "
						+ "unacknowledged at the inbound queue's hard bound (reconnect {} for redelivery)",
				this.config.clientId(), released, this.inbox.redeliveryReconnects() + 1);
		this.lastError = "Reconnecting for " + released
				+ " messages released unacknowledged at the inbound queue's hard bound";
		this.closingHere = true;
		// what this task wrote goes out before the close
		this.writer.flush();
		ch.close();
		return true;
	}

	/** A publish failed: the connection kept closing right after its PUBLISH. */
	private void gaveUp(OutgoingMessage givenUp) {
		String text = "Publish to '" + LogSafe.topic(givenUp.topic()) + "' (QoS " + givenUp.qos()
				+ ") given up: the connection closed " + givenUp.closedBeforeAck()
				+ " times before the broker acknowledged it";
		logger.warn("Client '{}': {}", this.config.clientId(), text);
		this.lastError = text;
	}

	/** SUBSCRIBE, UNSUBSCRIBE and the subscriptions granted. */
	public Requests requests() {
		return this.requests;
	}

	@Override
	public void onError(Channel ch, Throwable cause) {
		String text = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		this.events.channelError(text, cause);
		if (ch != this.channel) {
			return;
		}
		this.lastError = text;
		if (cause instanceof MalformedPacketException malformed && this.config.isMqtt5() && this.writer.attached()) {
			// MQTT 5: the DISCONNECT names the rule broken before the close
			// [MQTT-4.13.1-1]
			ch.writeAndFlush(new Disconnect(malformed.reasonCode(), PacketProperties.NONE), ch.voidPromise());
		}
		if (cause instanceof java.io.IOException) {
			// no close in order: what the broker had not read is no evidence against it
			this.writer.connectionReset();
		}
		else {
			// a decoding, protocol or TLS error: this side closes; a reset or broken pipe
			// is the peer's
			this.closingHere = true;
		}
		if (this.state instanceof ConnectionState.Connecting) {
			failAttempt(ch,
					(cause instanceof MqttException mqtt) ? mqtt
							: new MqttException("Connection to " + this.config.address() + " failed: " + text, cause),
					false);
		}
	}

	private void connectionDead(Channel ch, String reason) {
		if (ch == this.channel) {
			this.lastError = reason;
			this.closingHere = true;
			ch.close();
		}
	}

	@Override
	public void onClosed(Channel ch) {
		if (ch != this.channel) {
			return;
		}
		if (this.state instanceof ConnectionState.Connecting) {
			failAttempt(ch, new MqttException("Connection to " + this.config.address() + " closed before CONNACK"
					+ ((this.lastError != null) ? ": " + this.lastError : "")), false);
			return;
		}
		this.channel = null;
		Disconnect byServer = this.serverDisconnect.closed(this.lastError == null && !this.closingHere,
				this.config.reconnectBackoff().max().toNanos());
		this.authentication.failReauthentication(
				(byServer != null) ? ServerDisconnect.failure(byServer, "Re-authentication failed, " + this.lastError)
						: new MqttException("Re-authentication failed: the connection closed"
								+ ((this.lastError != null) ? ": " + this.lastError : "")));
		boolean wasConnected = this.writer.attached();
		int lastPublish = this.writer
			.detach(new MqttException("Connection to " + this.config.address() + " closed before the write"));
		this.inbox.reset();
		// blamed only when the broker plainly closed on a PUBLISH (see CloseEvidence)
		this.session.onDisconnected(this.closingHere ? 0 : lastPublish, this.outputs.scratch());
		this.closingHere = false;
		this.outputs.carryOut();
		if (!wasConnected || this.state instanceof ConnectionState.Finished) {
			return;
		}
		String reason = (this.lastError != null) ? this.lastError : "Server closed the connection";
		boolean serverClosed = this.lastError == null;
		// kept for operators (health) until the next connection is accepted
		this.lastError = reason;
		this.events.connectionLost(reason);
		if (this.userClosed) {
			this.state = new ConnectionState.Closed(false);
			return;
		}
		if (byServer != null && (ServerDisconnect.isFinal(byServer) || !this.config.reconn())) {
			// the error callback was told at the DISCONNECT
			this.state = new ConnectionState.Closed(true);
			MqttException failure = ServerDisconnect.failure(byServer, reason);
			this.requests.failWaiters(failure);
			this.inbox.queue().failOnce(failure);
			return;
		}
		if (this.config.reconn()) {
			this.events.error(ErrorCallback.RECONNECT_START);
			if (this.config.isMqtt5()) {
				this.reconnector.atLeast(this.serverDisconnect.backoffAttempts());
			}
			scheduleReconnect();
			return;
		}
		this.state = new ConnectionState.Closed(serverClosed);
		MqttException lost = new MqttException("Connection lost: " + reason);
		this.requests.failWaiters(lost);
		this.inbox.queue().failOnce(lost);
		this.events.error(reason);
	}

	/**
	 * Drops the socket, no DISCONNECT; state stays so that {@code connect()} can follow.
	 */
	public CompletableFuture<Void> close() {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.loop.execute(() -> {
			this.userClosed = true;
			this.reconnector.cancel();
			this.reconnector.endBackground(null, new MqttException("Closed while connecting"));
			Channel ch = this.channel;
			failAttempt(ch, new MqttException("Closed while connecting"), false);
			if (!(this.state instanceof ConnectionState.Finished)) {
				this.state = new ConnectionState.Closed(false);
			}
			if (ch != null) {
				this.closingHere = true;
				ch.close().addListener((f) -> done.complete(null));
			}
			else {
				done.complete(null);
			}
		});
		return done;
	}

	/** DISCONNECT, then release everything; final. */
	public CompletableFuture<Void> disconnect() {
		return disconnect(Disconnect.INSTANCE);
	}

	/**
	 * As {@link #disconnect()}, so that the broker publishes the will: DISCONNECT 0x04 on
	 * MQTT 5, no DISCONNECT on 3.1/3.1.1.
	 */
	public CompletableFuture<Void> disconnectWithWill() {
		return disconnect(
				this.config.isMqtt5() ? new Disconnect(ReasonCode.DISCONNECT_WITH_WILL, PacketProperties.NONE) : null);
	}

	/** The server's last DISCONNECT, e.g. {@code Session taken over (0x8E)}, or null. */
	public String lastDisconnect() {
		return this.serverDisconnect.last();
	}

	private CompletableFuture<Void> disconnect(Disconnect goodbye) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.loop.execute(() -> {
			ConnectionState before = this.state;
			if (before instanceof ConnectionState.Finished) {
				done.complete(null);
				return;
			}
			this.state = ConnectionState.FINISHED;
			this.reconnector.cancel();
			this.reconnector.endBackground(null, new MqttException("Disconnected while connecting"));
			MqttException disconnected = new MqttException("The client is disconnected");
			Channel ch = this.channel;
			if (before instanceof ConnectionState.Connecting connecting && ch != null) {
				endAttempt(connecting, ch, new MqttException("Disconnected while connecting"), false);
				ch = null;
			}
			this.channel = null;
			this.writer.detach(disconnected);
			this.session.failAll(disconnected);
			this.outbox.failAll(disconnected);
			this.requests.finish(disconnected);
			this.authentication.failReauthentication(disconnected);
			ChannelWriter.disconnect(ch, this.loop, done, goodbye);
		});
		return done;
	}

	/**
	 * New TLS material from the next connection on; the current one is dropped, and
	 * reconnection brings it back.
	 */
	public void reloadSsl(SslParams params) {
		Runnable swap = this.bootstrap.reload(params);
		this.loop.execute(() -> {
			swap.run();
			Channel ch = this.channel;
			if (this.writer.attached() && ch != null) {
				this.lastError = "TLS material reloaded";
				this.closingHere = true;
				ch.close();
			}
		});
	}

}
