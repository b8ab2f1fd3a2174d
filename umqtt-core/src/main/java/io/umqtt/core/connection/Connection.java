package io.umqtt.core.connection;

import java.util.concurrent.CompletableFuture;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.umqtt.core.ErrorCallback;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import io.umqtt.core.ReasonCode;
import io.umqtt.core.ServerLimits;
import io.umqtt.core.SslParams;
import io.umqtt.core.codec.MalformedPacketException;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.netty.ConnectionEvents;
import io.umqtt.core.netty.KeepAlive;
import io.umqtt.core.netty.OutboundTopicAliases;
import io.umqtt.core.packet.Auth;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side of one client: its public face, and the one dispatch of every packet
 * read (an exhaustive switch) and of the channel's events. The commands, connect attempts
 * and reconnection are the {@link Lifecycle}'s, the CONNECT/CONNACK exchange the
 * {@link Handshake}'s, a server's DISCONNECT the {@link ServerDisconnect}'s, the MQTT 5
 * checks of a received PUBLISH the {@link InboundChecks}'; the way out is the
 * {@link Outbox}, the way in the {@link Inbox}, requests wait in {@link Requests}, and
 * every write goes through the {@link ChannelWriter}.
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

	private final Link link = new Link();

	private final Lifecycle lifecycle;

	private volatile boolean everConnected;

	private final StoreHealth storeHealth;

	private final ServerDisconnect serverDisconnect = new ServerDisconnect();

	private final Handshake handshake;

	/** MQTT 5 only; {@code null} on 3.1.1, where a PUBLISH has nothing to pass. */
	private final @Nullable InboundChecks inboundChecks;

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
		this.handshake = new Handshake(config);
		InboundQuota quota = config.isMqtt5() ? new InboundQuota(config.mqtt5().receiveMaximum()) : null;
		this.inboundChecks = config.isMqtt5() ? new InboundChecks(config, quota, this::protocolError) : null;
		this.writer = new ChannelWriter(this.session, () -> this.storeHealth.flushed(this.session), quota);
		this.outputs = new SessionOutputs(this.writer);
		this.inbox = new Inbox(config, loop, this.session, this.writer, this.outputs, events, new Inbox.Redelivery() {

			@Override
			public boolean persistent() {
				return Connection.this.link.sessionKept;
			}

			@Override
			public boolean reconnect(Channel ch, long released) {
				return Connection.this.lifecycle.reconnectForRedelivery(ch, released);
			}

		});
		this.outbox = new Outbox(config, loop, this.session, this.writer, this.outputs, this::state, this::afterDrain);
		this.requests = new Requests(config, loop, this.session, this.writer, this.outputs, this.inbox, events,
				this.outbox::waiting, this::state);
		this.outputs.wire(this.inbox, this.outbox, this.requests, this::gaveUp);
		this.lifecycle = new Lifecycle(config, loop, bootstrap, this.reconnector, this.session, this.writer, this.inbox,
				this.outbox, this.requests, events, this, this.link, this.authentication);
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
		return this.link.state;
	}

	/**
	 * The status, from the state; ERROR while the session store fails, even when
	 * connected.
	 */
	public MqttStatus status() {
		MqttStatus current = this.link.state.status();
		return (current == MqttStatus.CONNECTED && this.storeHealth.failure() != null) ? MqttStatus.ERROR : current;
	}

	public boolean sessionPresent() {
		return this.link.sessionPresent;
	}

	/**
	 * Whether the broker keeps the session after the current (or last) connection, so
	 * that it sends unacknowledged messages again; see {@link SessionExpiry}.
	 */
	public boolean sessionKept() {
		return this.link.sessionKept;
	}

	/** Whether the current (or last) connection was asked for with a clean session. */
	public boolean cleanSession() {
		return this.link.cleanSession;
	}

	/**
	 * What the server announced in the last MQTT 5 CONNACK; the protocol's defaults
	 * before one and on 3.1.1.
	 */
	public ServerLimits serverLimits() {
		return this.handshake.serverLimits();
	}

	/** The client identifier the server assigned, or {@code null}. */
	public String assignedClientId() {
		return this.handshake.assignedClientId();
	}

	public boolean everConnected() {
		return this.everConnected;
	}

	public String lastError() {
		String store = this.storeHealth.failure();
		return (store != null) ? store : this.link.lastError;
	}

	public long reconnects() {
		return this.reconnector.reconnects();
	}

	public void setWill(Will will) {
		this.loop.execute(() -> this.handshake.will(will));
	}

	// ---- connecting ----

	/**
	 * Connects, or joins the attempt under way; completes with the session-present flag.
	 */
	public CompletableFuture<Boolean> connect(boolean clean) {
		return this.lifecycle.connect(clean);
	}

	/**
	 * Connects, retrying until accepted; a final refusal, {@code close()} or
	 * {@code disconnect()} ends it.
	 */
	public CompletableFuture<Boolean> connectInBackground(boolean clean) {
		return this.lifecycle.connectInBackground(clean);
	}

	@Override
	public void onReady(Channel ch) {
		if (ch != this.link.channel || !(this.link.state instanceof ConnectionState.Connecting)) {
			return;
		}
		Connect connect;
		try {
			connect = this.handshake.connect(this.link.cleanSession);
		}
		catch (IllegalArgumentException ex) {
			// the same CONNECT would fail on every retry: final
			this.lifecycle.failAttempt(ch, new MqttException("CONNECT cannot be encoded: " + ex.getMessage(), ex),
					true);
			return;
		}
		ch.writeAndFlush(connect, ch.voidPromise());
	}

	private void onConnAck(Channel ch, ConnAck ack) {
		if (!(this.link.state instanceof ConnectionState.Connecting connecting)) {
			protocolViolation(ch, "CONNACK when already connected");
			return;
		}
		if (!ack.accepted()) {
			this.lifecycle.failAttempt(ch, this.handshake.refusal(ack), false);
			return;
		}
		if (this.config.isMqtt5() && this.link.cleanSession && ack.sessionPresent()) {
			// Clean Start 1 left the client no session state to resume [MQTT-3.2.2-4]
			this.lifecycle.failAttempt(ch,
					new MqttException(
							"Protocol violation: CONNACK with Session Present 1 after Clean Start 1 [MQTT-3.2.2-4]"),
					false);
			return;
		}
		this.lifecycle.cancelConnectTimer();
		this.everConnected = true;
		this.reconnector.succeeded();
		this.serverDisconnect.accepted();
		this.link.sessionPresent = ack.sessionPresent();
		this.link.lastError = null;
		this.link.closingHere = false;
		this.inbox.queue().clearFailure();
		int keepalive = this.handshake.accepted(ack);
		OutboundTopicAliases outboundAliases = this.handshake.outboundAliases();
		if (outboundAliases != null) {
			this.link.encoder.topicAliases(outboundAliases);
		}
		if (this.inboundChecks != null) {
			this.inboundChecks.accepted();
		}
		KeepAlive keepAlive = null;
		if (keepalive > 0) {
			keepAlive = new KeepAlive(this.loop, keepalive, () -> this.requests.ping(ch),
					(reason) -> connectionDead(ch, reason), this.inbox::readingPaused);
			keepAlive.start();
		}
		this.writer.attach(ch, this.link.encoder, keepAlive);
		this.link.state = new ConnectionState.Connected();
		if (this.handshake.sessionLost(this.link.cleanSession, ack)) {
			this.session.onSessionLost();
		}
		this.link.sessionKept = this.handshake.brokerKeepsSession();
		this.session.serverReceiveMaximum(this.handshake.serverLimits().receiveMaximum());
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
		if (ch != this.link.channel) {
			if (packet instanceof Publish publish) {
				publish.payload().release();
			}
			return;
		}
		if (packet.type() != 14) {
			// a DISCONNECT ends the connection: it says nothing of the broker going on
			// after the last PUBLISH, so the close evidence stays (see onDisconnect)
			this.writer.read();
		}
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
			// CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ: only a client sends those
			default -> protocolViolation(ch, "the server sent " + packet.getClass().getSimpleName().toUpperCase());
		}
	}

	/** MQTT 5: the server ends the connection; see {@link ServerDisconnect}. */
	private void onDisconnect(Channel ch, Disconnect disconnect) {
		String violation = this.config.isMqtt5() ? ServerDisconnect.violation(disconnect)
				: "the server sent DISCONNECT";
		if (violation != null) {
			protocolViolation(ch, violation);
			return;
		}
		this.link.lastError = this.serverDisconnect.received(disconnect);
		// a code naming a PUBLISH the server does not accept is evidence against the last
		// PUBLISH written, as a bare close right after it is (see CloseEvidence)
		this.link.closingHere = !rejectsPublish(disconnect.reasonCode());
		this.events.error(this.link.lastError);
		ch.close();
	}

	/**
	 * Whether a DISCONNECT reason code says the server did not accept a PUBLISH: Topic
	 * Name invalid, Packet too large, Payload format invalid, Retain not supported, QoS
	 * not supported.
	 */
	static boolean rejectsPublish(int reasonCode) {
		return switch (reasonCode) {
			case 0x90, 0x95, 0x99, 0x9A, 0x9B -> true;
			default -> false;
		};
	}

	/** MQTT 5: a step of enhanced authentication; see {@link Authentication}. */
	private void onAuth(Channel ch, Auth auth) {
		Authentication.Step step = this.authentication.onAuth(auth,
				this.link.state instanceof ConnectionState.Connecting);
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
		return this.lifecycle.reauthenticate();
	}

	@Override
	public void onReadComplete(Channel ch) {
		// one flush for everything the packets of this read caused, not one per packet
		if (ch == this.link.channel) {
			this.writer.readComplete();
		}
	}

	private void onPublish(Channel ch, Publish publish) {
		if (!this.writer.attached()) {
			publish.payload().release();
			protocolViolation(ch, "PUBLISH before CONNACK");
			return;
		}
		Publish admitted = (this.inboundChecks != null) ? this.inboundChecks.admit(ch, publish) : publish;
		if (admitted != null) {
			this.inbox.onPublish(ch, admitted);
		}
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
		if (ch == this.link.channel) {
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

	/** A publish failed: the connection kept closing right after its PUBLISH. */
	private void gaveUp(OutgoingMessage givenUp) {
		String text = "Publish to '" + LogSafe.topic(givenUp.topic()) + "' (QoS " + givenUp.qos()
				+ ") given up: the connection closed " + givenUp.closedBeforeAck()
				+ " times before the broker acknowledged it";
		logger.warn("Client '{}': {}", this.config.clientId(), text);
		this.link.lastError = text;
	}

	/** SUBSCRIBE, UNSUBSCRIBE and the subscriptions granted. */
	public Requests requests() {
		return this.requests;
	}

	@Override
	public void onError(Channel ch, Throwable cause) {
		String text = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		this.events.channelError(text, cause);
		if (ch != this.link.channel) {
			return;
		}
		this.link.lastError = text;
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
			this.link.closingHere = true;
		}
		if (this.link.state instanceof ConnectionState.Connecting) {
			this.lifecycle.failAttempt(ch,
					(cause instanceof MqttException mqtt) ? mqtt
							: new MqttException("Connection to " + this.config.address() + " failed: " + text, cause),
					false);
		}
	}

	private void connectionDead(Channel ch, String reason) {
		if (ch == this.link.channel) {
			this.link.closeHere(ch, reason);
		}
	}

	@Override
	public void onClosed(Channel ch) {
		if (ch != this.link.channel) {
			return;
		}
		if (this.link.state instanceof ConnectionState.Connecting) {
			this.lifecycle.failAttempt(ch, new MqttException("Connection to " + this.config.address()
					+ " closed before CONNACK" + ((this.link.lastError != null) ? ": " + this.link.lastError : "")),
					false);
			return;
		}
		this.link.channel = null;
		Disconnect byServer = this.serverDisconnect.closed(this.link.lastError == null && !this.link.closingHere,
				this.config.reconnectBackoff().max().toNanos());
		this.authentication.failReauthentication((byServer != null)
				? ServerDisconnect.failure(byServer, "Re-authentication failed, " + this.link.lastError)
				: new MqttException("Re-authentication failed: the connection closed"
						+ ((this.link.lastError != null) ? ": " + this.link.lastError : "")));
		boolean wasConnected = this.writer.attached();
		int lastPublish = this.writer
			.detach(new MqttException("Connection to " + this.config.address() + " closed before the write"));
		this.inbox.reset();
		// blamed only when the broker plainly closed on a PUBLISH (see CloseEvidence)
		this.session.onDisconnected(this.link.closingHere ? 0 : lastPublish, this.outputs.scratch());
		this.link.closingHere = false;
		this.outputs.carryOut();
		if (!wasConnected || this.link.state instanceof ConnectionState.Finished) {
			return;
		}
		this.lifecycle.lost(byServer, this.serverDisconnect);
	}

	/**
	 * Drops the socket, no DISCONNECT; state stays so that {@code connect()} can follow.
	 */
	public CompletableFuture<Void> close() {
		return this.lifecycle.close();
	}

	/** DISCONNECT, then release everything; final. */
	public CompletableFuture<Void> disconnect() {
		return this.lifecycle.disconnect(Disconnect.INSTANCE);
	}

	/**
	 * As {@link #disconnect()}, so that the broker publishes the will: DISCONNECT 0x04 on
	 * MQTT 5, no DISCONNECT on 3.1/3.1.1.
	 */
	public CompletableFuture<Void> disconnectWithWill() {
		return this.lifecycle.disconnect(
				this.config.isMqtt5() ? new Disconnect(ReasonCode.DISCONNECT_WITH_WILL, PacketProperties.NONE) : null);
	}

	/** The server's last DISCONNECT, e.g. {@code Session taken over (0x8E)}, or null. */
	public String lastDisconnect() {
		return this.serverDisconnect.last();
	}

	/**
	 * New TLS material from the next connection on; the current one is dropped, and
	 * reconnection brings it back.
	 */
	public void reloadSsl(SslParams params) {
		Runnable swap = this.bootstrap.reload(params);
		this.loop.execute(() -> {
			swap.run();
			Channel ch = this.link.channel;
			if (this.writer.attached() && ch != null) {
				this.link.closeHere(ch, "TLS material reloaded");
			}
		});
	}

}
