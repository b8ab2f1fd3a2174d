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
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.netty.ConnectionEvents;
import io.umqtt.core.netty.MqttEncoderHandler;
import io.umqtt.core.packet.Disconnect;
import io.umqtt.core.session.Session;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands that start and end a client's connections, and its connect attempts:
 * {@code connect}, in the background with internal reconnection too, {@code close},
 * {@code disconnect}, the connect timeout, and what a failed attempt leads to (a
 * reconnect after the back-off, or the end when the refusal is final). What the broker
 * sends is handled by {@link Connection}. Event loop only; the commands hop onto it.
 */
final class Lifecycle {

	private static final Logger logger = LoggerFactory.getLogger(Connection.class);

	private final ClientConfig config;

	private final EventLoop loop;

	private final ConnectionBootstrap bootstrap;

	private final Reconnector reconnector;

	private final Session session;

	private final ChannelWriter writer;

	private final Inbox inbox;

	private final Outbox outbox;

	private final Requests requests;

	private final ClientEvents events;

	/** Told about each channel's events: the connection. */
	private final ConnectionEvents handler;

	private final Link link;

	private final Authentication authentication;

	private ScheduledFuture<?> connectTimer;

	Lifecycle(ClientConfig config, EventLoop loop, ConnectionBootstrap bootstrap, Reconnector reconnector,
			Session session, ChannelWriter writer, Inbox inbox, Outbox outbox, Requests requests, ClientEvents events,
			ConnectionEvents handler, Link link, Authentication authentication) {
		this.config = config;
		this.loop = loop;
		this.bootstrap = bootstrap;
		this.reconnector = reconnector;
		this.session = session;
		this.writer = writer;
		this.inbox = inbox;
		this.outbox = outbox;
		this.requests = requests;
		this.events = events;
		this.handler = handler;
		this.link = link;
		this.authentication = authentication;
	}

	/**
	 * Connects, or joins the attempt under way; completes with the session-present flag.
	 */
	CompletableFuture<Boolean> connect(boolean clean) {
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		this.loop.execute(() -> {
			if (settledBeforeConnecting(result)) {
				return;
			}
			this.reconnector.cancel();
			CompletableFuture<Boolean> attempt = (this.link.state instanceof ConnectionState.Connecting connecting)
					? connecting.attempt() : startAttempt(clean, false);
			attempt.whenComplete((present, failure) -> Reconnector.complete(result, present, failure));
		});
		return result;
	}

	/**
	 * Connects, retrying until accepted; a final refusal, {@code close()} or
	 * {@code disconnect()} ends it.
	 */
	CompletableFuture<Boolean> connectInBackground(boolean clean) {
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
			if (!(this.link.state instanceof ConnectionState.Connecting) && !this.reconnector.scheduled()) {
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
		if (this.link.state instanceof ConnectionState.Finished) {
			result.completeExceptionally(new MqttException("The client is disconnected; make a new one"));
			return true;
		}
		this.link.userClosed = false;
		if (this.writer.attached()) {
			result.complete(this.link.sessionPresent);
			return true;
		}
		return false;
	}

	private CompletableFuture<Boolean> startAttempt(boolean clean, boolean reconnect) {
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		this.link.cleanSession = clean;
		this.link.sessionKept = SessionExpiry.outlivesConnection(this.config, clean, null);
		this.link.state = new ConnectionState.Connecting(result, reconnect);
		MqttEncoderHandler encoder = this.config.isMqtt5() ? new MqttEncoderHandler(PacketEncoder.MQTT_5)
				: new MqttEncoderHandler();
		ChannelFuture connecting = this.bootstrap.connect(this.handler, encoder);
		Channel ch = connecting.channel();
		this.link.channel = ch;
		this.link.encoder = encoder;
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

	void failAttempt(Channel ch, MqttException failure, boolean unretriable) {
		if (this.link.state instanceof ConnectionState.Connecting connecting && ch == this.link.channel) {
			endAttempt(connecting, ch, failure, unretriable);
		}
	}

	private void endAttempt(ConnectionState.Connecting connecting, Channel ch, MqttException failure,
			boolean unretriable) {
		cancelConnectTimer();
		this.link.channel = null;
		ch.close();
		this.link.lastError = failure.getMessage();
		// the broker is not taking connections: the close before was no rejection of a
		// PUBLISH
		this.session.onConnectFailed();
		boolean permanent = unretriable || Backoff.isFinal(failure.returnCode());
		boolean finished = this.link.state instanceof ConnectionState.Finished;
		if (connecting.reconnect() && !this.link.userClosed && !finished && !permanent) {
			scheduleReconnect();
		}
		else {
			if (!finished) {
				this.link.state = new ConnectionState.Closed(false);
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

	void cancelConnectTimer() {
		if (this.connectTimer != null) {
			this.connectTimer.cancel(false);
			this.connectTimer = null;
		}
	}

	void scheduleReconnect() {
		this.link.state = new ConnectionState.WaitingToReconnect();
		this.reconnector.schedule(() -> {
			if (this.link.state instanceof ConnectionState.WaitingToReconnect && !this.link.userClosed) {
				startAttempt(this.link.cleanSession, true);
			}
		});
	}

	/**
	 * Drops the socket, no DISCONNECT; state stays so that {@code connect()} can follow.
	 */
	CompletableFuture<Void> close() {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.loop.execute(() -> {
			this.link.userClosed = true;
			this.reconnector.cancel();
			this.reconnector.endBackground(null, new MqttException("Closed while connecting"));
			Channel ch = this.link.channel;
			failAttempt(ch, new MqttException("Closed while connecting"), false);
			if (!(this.link.state instanceof ConnectionState.Finished)) {
				this.link.state = new ConnectionState.Closed(false);
			}
			if (ch != null) {
				this.link.closingHere = true;
				ch.close().addListener((f) -> done.complete(null));
			}
			else {
				done.complete(null);
			}
		});
		return done;
	}

	CompletableFuture<Void> disconnect(Disconnect goodbye) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.loop.execute(() -> {
			ConnectionState before = this.link.state;
			if (before instanceof ConnectionState.Finished) {
				done.complete(null);
				return;
			}
			this.link.state = ConnectionState.FINISHED;
			this.reconnector.cancel();
			this.reconnector.endBackground(null, new MqttException("Disconnected while connecting"));
			MqttException disconnected = new MqttException("The client is disconnected");
			Channel ch = this.link.channel;
			if (before instanceof ConnectionState.Connecting connecting && ch != null) {
				endAttempt(connecting, ch, new MqttException("Disconnected while connecting"), false);
				ch = null;
			}
			this.link.channel = null;
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
	 * The connection was lost: reconnect after the back-off, or end, as the close, the
	 * server's DISCONNECT ({@code byServer}, or {@code null}) and {@code reconn} say.
	 */
	void lost(@Nullable Disconnect byServer, ServerDisconnect serverDisconnect) {
		String reason = (this.link.lastError != null) ? this.link.lastError : "Server closed the connection";
		boolean serverClosed = this.link.lastError == null;
		// kept for operators (health) until the next connection is accepted
		this.link.lastError = reason;
		this.events.connectionLost(reason);
		if (this.link.userClosed) {
			this.link.state = new ConnectionState.Closed(false);
			return;
		}
		if (byServer != null && (ServerDisconnect.isFinal(byServer) || !this.config.reconn())) {
			// the error callback was told at the DISCONNECT
			this.link.state = new ConnectionState.Closed(true);
			MqttException failure = ServerDisconnect.failure(byServer, reason);
			this.requests.failWaiters(failure);
			this.inbox.queue().failOnce(failure);
			return;
		}
		if (this.config.reconn()) {
			this.events.error(ErrorCallback.RECONNECT_START);
			if (this.config.isMqtt5()) {
				this.reconnector.atLeast(serverDisconnect.backoffAttempts());
			}
			scheduleReconnect();
			return;
		}
		this.link.state = new ConnectionState.Closed(serverClosed);
		MqttException lost = new MqttException("Connection lost: " + reason);
		this.requests.failWaiters(lost);
		this.inbox.queue().failOnce(lost);
		this.events.error(reason);
	}

	/**
	 * Messages were released unacknowledged beyond the inbound queue's hard bound, and
	 * the queue has drained: the connection is closed so that the broker, on the next
	 * one, sends them again.
	 */
	boolean reconnectForRedelivery(Channel ch, long released) {
		if (ch != this.link.channel || !this.writer.attached()) {
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
		// what this task wrote goes out before the close
		this.writer.flush();
		this.link.closeHere(ch,
				"Reconnecting for " + released + " messages released unacknowledged at the inbound queue's hard bound");
		return true;
	}

	/** MQTT 5: re-authenticates; see {@link Authentication}. */
	CompletableFuture<Void> reauthenticate() {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.loop.execute(() -> {
			Channel ch = this.link.channel;
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

}
