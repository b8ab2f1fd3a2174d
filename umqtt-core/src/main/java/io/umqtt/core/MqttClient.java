package io.umqtt.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.netty.channel.EventLoopGroup;
import io.umqtt.core.connection.ClientConfig;
import io.umqtt.core.connection.ClientSettings;
import io.umqtt.core.delivery.ApplicationEvents;
import io.umqtt.core.delivery.ClientRuntime;
import io.umqtt.core.delivery.LastWills;
import io.umqtt.core.delivery.Requester;
import io.umqtt.core.session.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 3.1 / 3.1.1 / 5.0 connection, with every function of the QuecPython
 * {@code umqtt} module under its camelCase name, QoS 0, 1 and 2 throughout, and internal
 * reconnection.
 * <p>
 * Thread-safe: any thread may publish, subscribe or deliver. The network runs on a Netty
 * event loop; messages are handed to the application in the thread that calls
 * {@link #waitMsg()} or {@link #checkMsg()} (or on the client's own dispatch thread when
 * built with {@link Builder#dispatchThread(boolean)}), and a received QoS 1 or 2 message
 * is acknowledged after its callback returns. The error callback runs on a thread of its
 * own, so it may call {@link #close()}, {@link #connect()} and
 * {@link #subscribe(String, int)}.
 * <p>
 * What it does beyond the reference is described in the README ("Behaviour"). The work is
 * done by {@link ClientRuntime} and the packages below it; each method here delegates.
 */
public final class MqttClient {

	private static final Logger logger = LoggerFactory.getLogger(MqttClient.class);

	private final ClientConfig config;

	private final ClientRuntime runtime;

	/** Request/response, on MQTT 5 only. */
	private final Requester requester;

	private final List<MqttConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();

	private volatile LastWill lastWill;

	/**
	 * A client for {@code server} on port 1883, no user, keep-alive off; an empty client
	 * id is allowed.
	 */
	public MqttClient(String clientId, String server) {
		this(builder(clientId, server).config());
	}

	/** A client for {@code server:port}; port 0 means 1883. */
	public MqttClient(String clientId, String server, int port) {
		this(builder(clientId, server).port(port).config());
	}

	/**
	 * A client with user name and password ({@code null} for none; a password needs a
	 * user) and keep-alive in seconds, 0 (off) to 65,535; port 0 means 1883.
	 */
	public MqttClient(String clientId, String server, int port, String user, String password, int keepalive) {
		this(builder(clientId, server).port(port).user(user).password(password).keepalive(keepalive).config());
	}

	private MqttClient(ClientConfig config) {
		this.config = config;
		this.runtime = new ClientRuntime(config, new Listeners());
		this.requester = config.isMqtt5() ? new Requester(this.runtime, config.clientId()) : null;
	}

	/**
	 * A builder for a client of {@code server}: one setter per parameter of the
	 * reference's {@code MQTTClient(...)}, and umqtt's own settings.
	 */
	public static Builder builder(String clientId, String server) {
		return new Builder(clientId, server);
	}

	// ---- callbacks and will ----

	/**
	 * Sets the function that receives messages, topic and payload; {@code null} removes
	 * it.
	 */
	public void setCallback(MessageCallback callback) {
		this.runtime.dispatcher().callback(callback);
	}

	/**
	 * Sets the function that receives whole messages (QoS, retain, dup, id); {@code null}
	 * removes it.
	 */
	public void setCallback(MqttMessageListener listener) {
		this.runtime.dispatcher().callback(listener);
	}

	/**
	 * The callback set with {@code setCallback}, as a listener of whole messages, so that
	 * a callback put in front of it can hand on what it does not take; {@code null} when
	 * none.
	 */
	public MqttMessageListener getCallback() {
		return this.runtime.dispatcher().currentCallback();
	}

	/**
	 * Sets the function told about reconnection ({@code "reconnect_start"},
	 * {@code "reconnect_success"}) and errors of the connection (their text);
	 * {@code null} removes it.
	 */
	public void errorRegisterCb(ErrorCallback callback) {
		this.runtime.events().errorCallback(callback);
	}

	/**
	 * Sets the last will, QoS 0, not retained; it takes effect at the next
	 * {@code connect()}.
	 */
	public void setLastWill(String topic, String msg) {
		setLastWill(topic, msg, false, 0);
	}

	/**
	 * Sets the last will, QoS 0, not retained; it takes effect at the next
	 * {@code connect()}.
	 */
	public void setLastWill(String topic, byte[] msg) {
		setLastWill(topic, msg, false, 0);
	}

	/**
	 * Sets the last will as {@link #setLastWill(String, byte[], boolean, int)} does, from
	 * a UTF-8 string.
	 */
	public void setLastWill(String topic, String msg, boolean retain, int qos) {
		setLastWill(topic, Objects.requireNonNull(msg, "msg").getBytes(StandardCharsets.UTF_8), retain, qos);
	}

	/**
	 * Sets the last will (a topic name, the message, retained or not, QoS 0, 1 or 2) that
	 * the broker publishes if the connection ends without {@code disconnect()}; from the
	 * next {@code connect()}.
	 */
	public void setLastWill(String topic, byte[] msg, boolean retain, int qos) {
		this.lastWill = new LastWill(topic, msg.clone(), retain, qos);
	}

	/**
	 * Sets the last will, on MQTT 5 with its delay and properties; from the next
	 * {@code connect()}. {@code null} removes it.
	 * @throws IllegalArgumentException for a delay or properties on 3.1 or 3.1.1
	 */
	public void setLastWill(LastWill will) {
		if (will != null) {
			LastWills.check(will, this.config.protocolLevel());
		}
		this.lastWill = will;
	}

	/** The last will set, or {@code null}. */
	public LastWill lastWill() {
		return this.lastWill;
	}

	/**
	 * Sets the observer told what this client publishes and receives (for metrics);
	 * {@code null} removes it. With an observer each publish costs a timestamp and a
	 * completion stage more.
	 */
	public void setObserver(MqttClientObserver observer) {
		this.runtime.events().observer(observer);
	}

	/**
	 * Adds a listener told about connections made and lost, on the client's event thread.
	 */
	public void addConnectionListener(MqttConnectionListener listener) {
		this.connectionListeners.add(Objects.requireNonNull(listener, "listener"));
	}

	// ---- connection ----

	/** Connects with a clean session, as {@link #connect(boolean)} does; returns 0. */
	public int connect() {
		return connect(true);
	}

	/**
	 * Connects to the broker and waits for its CONNACK, up to the connect timeout.
	 * @param cleanSession whether the broker starts a new session (true) or resumes the
	 * stored one
	 * @return 0 on success
	 * @throws MqttException when the connection fails or is refused
	 * ({@link MqttException#returnCode()})
	 */
	public int connect(boolean cleanSession) {
		this.runtime.connect(cleanSession, this.lastWill);
		return 0;
	}

	/**
	 * Connects without blocking. With internal reconnection on, failed attempts are
	 * retried with the reconnect back-off until one succeeds (status 1 meanwhile);
	 * CONNACK refusals 1, 2, 4 and 5 end the attempts, as do {@link #close()} and
	 * {@link #disconnect()}.
	 * @param cleanSession the clean session flag
	 * @return completes when connected; fails with {@link MqttException} when it cannot
	 */
	public CompletableFuture<Void> connectAsync(boolean cleanSession) {
		return this.runtime.connectAsync(cleanSession, this.lastWill);
	}

	/**
	 * MQTT 5: re-authenticates with the builder's authenticator (AUTH 0x19, then its
	 * answers to the server's challenges).
	 * @return completes on the server's AUTH Success; fails with {@link MqttException}
	 * without an authenticator or a connection, or when the server disconnects first
	 */
	public CompletableFuture<Void> reauthenticate() {
		return this.runtime.connection().reauthenticate();
	}

	/** Whether this client has had a connection accepted at least once. */
	public boolean hasBeenConnected() {
		return this.runtime.connection().everConnected();
	}

	/** Whether the broker resumed a stored session at the last connect. */
	public boolean isSessionPresent() {
		return this.runtime.connection().sessionPresent();
	}

	/**
	 * MQTT 5: what the server announced in its last CONNACK, the protocol's defaults
	 * where it announced nothing (and before a connection, and on 3.1.1).
	 */
	public ServerLimits serverLimits() {
		return this.runtime.connection().serverLimits();
	}

	/** MQTT 5: the client identifier the server assigned, or {@code null}. */
	public String assignedClientId() {
		return this.runtime.connection().assignedClientId();
	}

	/**
	 * Sends DISCONNECT and releases everything: connection, timers, threads, buffers.
	 * Messages still in flight fail. Final: make a new client to connect again.
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
		this.runtime.disconnect(drainTimeout);
	}

	/**
	 * Disconnects as {@link #disconnect()} does, but so that the broker publishes the
	 * will: DISCONNECT 0x04 on MQTT 5, no DISCONNECT on 3.1.1; see README "MQTT 5".
	 */
	public void disconnectWithWill() {
		this.runtime.disconnectWithWill();
	}

	/**
	 * Drops the socket without DISCONNECT (so the broker publishes the will) and stops
	 * internal reconnection; everything else stays, so {@link #connect()} may be called
	 * again: the reference's external reconnection.
	 */
	public void close() {
		this.runtime.close();
	}

	/**
	 * Replaces the TLS trust material and client certificate (a renewed one, say): the
	 * connection is dropped and internal reconnection connects again with them.
	 * @throws MqttException when the client does not use TLS, or the material cannot be
	 * used
	 */
	public void reloadSsl(SslParams sslParams) {
		this.runtime.reloadSsl(sslParams);
	}

	/** Sends PINGREQ; does nothing when keep-alive is 0, as in the reference. */
	public void ping() {
		this.runtime.ping();
	}

	/**
	 * The connection status: 0 connected, 1 connecting, 2 server closed, -1 error or
	 * disconnected.
	 */
	public int getMqttsta() {
		return status().code();
	}

	/**
	 * The connection status as an enum. {@code ERROR} also when messages can no longer be
	 * delivered (the dispatch thread ended); {@link #lastError()} then says why.
	 */
	public MqttStatus status() {
		return this.runtime.status();
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
	 * Publishes to a topic name (no wildcards) and waits: QoS 0 until written, 1 until
	 * PUBACK, 2 until PUBCOMP, up to the publish timeout; a full in-flight window makes
	 * it wait for room first. {@code msg} is not copied: leave it unchanged until this
	 * returns.
	 * @return true when delivered as the QoS promises; false when failed or not confirmed
	 * in time (the reason logged and passed to the error callback; a QoS 1 or 2 message
	 * not confirmed in time stays with the client, which goes on delivering it)
	 * @throws IllegalArgumentException for an invalid topic, QoS or oversized message
	 */
	public boolean publish(String topic, byte[] msg, boolean retain, int qos) {
		return this.runtime.publish(topic, msg, retain, qos);
	}

	/**
	 * Publishes a UTF-8 string without waiting; see
	 * {@link #publishAsync(String, byte[], boolean, int)}.
	 */
	public CompletableFuture<Void> publishAsync(String topic, String msg, boolean retain, int qos) {
		return publishAsync(topic, Objects.requireNonNull(msg, "msg").getBytes(StandardCharsets.UTF_8), retain, qos);
	}

	/**
	 * Publishes without waiting for the broker, the high-throughput form: the caller
	 * waits only for room in the in-flight window (QoS 1 and 2) and the queue to the
	 * network. {@code msg} is not copied: leave it unchanged until the future completes.
	 * @return completes on the event loop (chain blocking work with {@code ...Async}
	 * stages) when written (QoS 0), at PUBACK (QoS 1) or PUBCOMP (QoS 2); fails with
	 * {@link MqttException} otherwise
	 * @throws IllegalArgumentException for an invalid topic, QoS or oversized message
	 */
	public CompletableFuture<Void> publishAsync(String topic, byte[] msg, boolean retain, int qos) {
		return this.runtime.publishAsync(topic, msg, retain, qos);
	}

	/**
	 * {@link #publish(String, byte[], boolean, int)} with MQTT 5 properties (README,
	 * "MQTT 5"); non-empty properties before version 5 throw
	 * {@code IllegalArgumentException}.
	 */
	public boolean publish(String topic, byte[] msg, boolean retain, int qos, MqttProperties properties) {
		return this.runtime.publish(topic, msg, retain, qos, properties);
	}

	/**
	 * {@link #publishAsync(String, byte[], boolean, int)} with MQTT 5 properties (README,
	 * "MQTT 5"); non-empty properties before version 5 throw
	 * {@code IllegalArgumentException}.
	 */
	public CompletableFuture<Void> publishAsync(String topic, byte[] msg, boolean retain, int qos,
			MqttProperties properties) {
		return this.runtime.publishAsync(topic, msg, retain, qos, properties);
	}

	/**
	 * MQTT 5: publishes a request with this client's response topic and a correlation
	 * data of its own, and completes with the matching reply (see {@link Requester}).
	 * @throws IllegalStateException on MQTT 3.1 and 3.1.1
	 */
	public CompletableFuture<MqttMessage> request(String topic, byte[] msg, int qos, MqttProperties props,
			Duration timeout) {
		if (this.requester == null) {
			throw new IllegalStateException("request(...) needs MQTT 5; this client speaks " + this.config.version());
		}
		return this.requester.request(topic, msg, qos, props, timeout);
	}

	// ---- subscribing ----

	/** Subscribes with QoS 0; see {@link #subscribe(String, int)}. */
	public int subscribe(String topic) {
		return subscribe(topic, 0);
	}

	/**
	 * Subscribes and waits for the SUBACK, up to the publish timeout. Messages for the
	 * filter go to the callback set with {@code setCallback}. The subscription is
	 * renewed, with its QoS, when a reconnect finds the broker without the session.
	 * @param topic a topic filter ({@code +} and {@code #} allowed,
	 * {@code $share/group/...} too)
	 * @param qos the maximum QoS wanted
	 * @return the QoS the broker granted
	 * @throws MqttException when the broker refuses (return code {@code 0x80}) or does
	 * not answer
	 */
	public int subscribe(String topic, int qos) {
		return subscribe(topic, qos, (MqttMessageListener) null);
	}

	/**
	 * Subscribes as {@link #subscribe(String, int)} does, routing the filter's messages
	 * to {@code listener} rather than to the callback ({@code null}: to the callback).
	 */
	public int subscribe(String topic, int qos, MqttMessageListener listener) {
		return this.runtime.subscribe(topic, qos, listener);
	}

	/**
	 * Subscribes as {@link #subscribe(String, int, MqttMessageListener)} does, without
	 * waiting. Asked for before the first {@code connect()}, it goes out with the
	 * connection, whatever {@code reconn} says.
	 * @return completes with the granted QoS; fails with {@link MqttException} (return
	 * code {@code 0x80}) when refused
	 */
	public CompletableFuture<Integer> subscribeAsync(String topic, int qos, MqttMessageListener listener) {
		return this.runtime.subscribeAsync(topic, qos, listener);
	}

	/**
	 * Subscribes with MQTT 5 options (callback delivery), as
	 * {@link #subscribe(String, int)}; see README "MQTT 5".
	 * @throws IllegalArgumentException for options other than the default on 3.1/3.1.1
	 */
	public int subscribe(String topic, int qos, SubscribeOptions options) {
		return this.runtime.subscribe(topic, qos, options, null);
	}

	/**
	 * Subscribes with MQTT 5 options without waiting, as
	 * {@link #subscribeAsync(String, int, MqttMessageListener)}; see README "MQTT 5".
	 */
	public CompletableFuture<Integer> subscribeAsync(String topic, int qos, SubscribeOptions options,
			MqttMessageListener listener) {
		return this.runtime.subscribeAsync(topic, qos, options, listener);
	}

	/**
	 * Unsubscribes and waits for the UNSUBACK, up to the publish timeout. The listeners
	 * registered for the filter now are removed once the UNSUBACK has arrived and the
	 * messages received before it have been delivered to them: none of those is left
	 * without its listener.
	 * @param topic the filter as it was subscribed
	 */
	public void unsubscribe(String topic) {
		this.runtime.unsubscribe(topic);
	}

	/** The filters the broker refused (SUBACK 0x80) and that were not granted since. */
	public Set<String> refusedSubscriptions() {
		return this.runtime.dispatcher().refused();
	}

	/** The subscriptions the broker granted, filter to QoS. */
	public Map<String, Integer> subscriptions() {
		return this.runtime.subscriptions();
	}

	// ---- receiving ----

	/**
	 * Delivers, in this thread, every message that has arrived, without waiting for more,
	 * and finishes the route changes of {@link #unsubscribe(String)} that are due, also
	 * when no message is there.
	 */
	public void checkMsg() {
		this.runtime.checkMsg();
	}

	/**
	 * Waits for a message and delivers it in this thread. With internal reconnection it
	 * keeps waiting across reconnects.
	 * @throws MqttException when the connection was lost and will not come back by itself
	 * (reported once), or the client is disconnected
	 */
	public void waitMsg() {
		this.runtime.waitMsg(-1);
	}

	/**
	 * Waits up to {@code timeout} as {@link #waitMsg()} does; returns whether a message
	 * was delivered.
	 */
	public boolean waitMsg(Duration timeout) {
		return this.runtime.waitMsg(timeout.toNanos());
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
	 * {@code null} while all is well. The client's user name and password never appear in
	 * it (a server's reason string could echo them): each is replaced by {@code ******}.
	 */
	public String lastError() {
		return this.runtime.lastError();
	}

	/**
	 * How many acknowledgements (PUBACK, PUBREC, PUBCOMP) arrived for a packet id not in
	 * flight, each logged at WARN and otherwise ignored.
	 */
	public long unexpectedAcks() {
		return this.runtime.connection().outbox().unexpectedAcks();
	}

	/**
	 * How many events for the error callback and connection listeners were dropped, their
	 * queue full.
	 */
	public long droppedEvents() {
		return this.runtime.events().droppedEvents();
	}

	/** How many times internal reconnection succeeded. */
	public long reconnectCount() {
		return this.runtime.connection().reconnects();
	}

	/**
	 * QoS 1 and 2 messages accepted and not yet acknowledged (in flight, or waiting for
	 * room or a connection). Cheap: reads the window, without a hop to the network
	 * thread.
	 */
	public int inflightCount() {
		return this.runtime.inflightCount();
	}

	/** Received messages waiting to be delivered. */
	public int pendingMessages() {
		return this.runtime.inbound().size();
	}

	/** Payload bytes of the received messages waiting to be delivered. */
	public long pendingBytes() {
		return this.runtime.inbound().bytes();
	}

	/**
	 * The most received messages that waited for delivery at once since the client was
	 * made; never more than the inbound queue's bound (README, "Reliability").
	 */
	public int pendingMessagesPeak() {
		return this.runtime.inbound().peak();
	}

	/**
	 * Received messages that matched no listener while no callback was set. A QoS 1 or 2
	 * one is left unacknowledged on a persistent session, so that the broker sends it
	 * again on the next connection; on a clean session (where it cannot be sent again) it
	 * is acknowledged. Each is logged as a warning and told to
	 * {@link MqttClientObserver#unhandled}.
	 */
	public long unhandledMessages() {
		return this.runtime.dispatcher().unhandled();
	}

	/**
	 * QoS 0 messages dropped because the inbound queue's overflow was full while an
	 * answer from the broker was awaited (README, "Reliability").
	 */
	public long droppedMessages() {
		return this.runtime.events().droppedMessages();
	}

	@Override
	public String toString() {
		return "MqttClient[" + this.config + ", status=" + status() + "]";
	}

	/**
	 * Tells the connection listeners, on the event thread; one that fails does not keep
	 * it from the others.
	 */
	private final class Listeners implements ApplicationEvents.ConnectionNews {

		@Override
		public boolean wanted() {
			return !MqttClient.this.connectionListeners.isEmpty();
		}

		@Override
		public void refused(String filter) {
			MqttClient.this.runtime.dispatcher().refusedBy(filter);
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
	 * Builds a client: one setter per parameter of the reference's {@code MQTTClient},
	 * with its defaults, and umqtt's own settings. Each setter checks its value
	 * ({@link IllegalArgumentException} when out of range).
	 */
	public static final class Builder {

		private final ClientSettings settings;

		private Builder(String clientId, String server) {
			this.settings = new ClientSettings(clientId, server);
		}

		/** Broker port; 0 (the default) means 1883, or 8883 with ssl. */
		public Builder port(int port) {
			this.settings.port(port);
			return this;
		}

		/** User name; {@code null} for none. */
		public Builder user(String user) {
			this.settings.user(user);
			return this;
		}

		/** Password; needs a user name. */
		public Builder password(String password) {
			this.settings.password(password);
			return this;
		}

		/** Keep-alive in seconds, 0 (off, the default) to 65,535. */
		public Builder keepalive(int keepalive) {
			this.settings.keepalive(keepalive);
			return this;
		}

		/** Whether to use TLS; off by default. */
		public Builder ssl(boolean ssl) {
			this.settings.ssl(ssl);
			return this;
		}

		/** What TLS trusts and presents; the JDK defaults when not set. */
		public Builder sslParams(SslParams sslParams) {
			this.settings.sslParams(sslParams);
			return this;
		}

		/** Internal reconnection; on by default. */
		public Builder reconn(boolean reconn) {
			this.settings.reconn(reconn);
			return this;
		}

		/** 3 for MQTT 3.1, 4 (the default) for MQTT 3.1.1, 5 for MQTT 5.0. */
		public Builder version(int version) {
			this.settings.version(version);
			return this;
		}

		/** How long TCP, TLS and CONNACK may take together; 20 s by default. */
		public Builder connectTimeout(Duration connectTimeout) {
			this.settings.connectTimeout(connectTimeout);
			return this;
		}

		/**
		 * How long a blocking publish waits for PUBACK or PUBCOMP, and subscribe for
		 * SUBACK; 5 s, as the reference.
		 */
		public Builder publishTimeout(Duration publishTimeout) {
			this.settings.publishTimeout(publishTimeout);
			return this;
		}

		/**
		 * How many QoS 1 and 2 messages may await acknowledgement at once, 1 to 65,535;
		 * 100 by default.
		 */
		public Builder maxInflight(int maxInflight) {
			this.settings.maxInflight(maxInflight);
			return this;
		}

		/**
		 * The largest packet accepted from the broker, in bytes, at least 2; 64 MiB by
		 * default.
		 */
		public Builder maxPacketSize(int maxPacketSize) {
			this.settings.maxPacketSize(maxPacketSize);
			return this;
		}

		/**
		 * The largest packet the broker accepts (its {@code message_size_limit}, say), at
		 * least 5: a larger PUBLISH fails when made, before anything is sent. MQTT's
		 * maximum (256 MiB) by default.
		 */
		public Builder maxOutgoingPacketSize(int maxOutgoingPacketSize) {
			this.settings.maxOutgoingPacketSize(maxOutgoingPacketSize);
			return this;
		}

		/**
		 * How many times, 1 to 100 (3 by default), the broker may plainly reject a QoS 1
		 * or 2 PUBLISH by closing the connection before it fails as rejected (a QoS,
		 * topic or size the broker refuses). A close counts only when the PUBLISH was the
		 * last packet written, nothing was read after it, no PINGREQ was unanswered, the
		 * close was in order (FIN) or the PUBLISH was written right behind a packet the
		 * broker had just sent (a resend behind the CONNACK), and the broker accepted the
		 * next connection at once, holding the session. A reset after a PUBLISH written
		 * at any other moment (a hung broker killed), restarts, failed attempts,
		 * keep-alive timeouts and {@code close()} count against no message (README,
		 * "Reliability").
		 */
		public Builder maxPublishAttempts(int attempts) {
			this.settings.maxPublishAttempts(attempts);
			return this;
		}

		/**
		 * Reconnect back-off: the first delay and the cap, with jitter; 1 s and 30 s by
		 * default.
		 */
		public Builder reconnectDelay(Duration initial, Duration max) {
			this.settings.reconnectDelay(initial, max);
			return this;
		}

		/**
		 * Received messages held for delivery before reading pauses; 1,000 by default.
		 * While an answer from the broker is awaited, reading goes on into an overflow
		 * (README, "Reliability").
		 */
		public Builder inboundQueueCapacity(int capacity) {
			this.settings.inboundQueueCapacity(capacity);
			return this;
		}

		/**
		 * Payload bytes of received messages held before reading pauses; 64 MiB by
		 * default. While an answer is awaited reading goes on: up to three times this is
		 * held, beyond it QoS 1/2 messages are released unacknowledged (counted in
		 * {@link MqttClient#droppedMessages()}) and a clean session false client
		 * reconnects for them afterwards; on a clean session they are lost (README,
		 * "Reliability"). A single larger message is still delivered.
		 */
		public Builder inboundQueueBytes(long bytes) {
			this.settings.inboundQueueBytes(bytes);
			return this;
		}

		/**
		 * Messages held while disconnected (internal reconnection on); 10,000 by default.
		 */
		public Builder offlineQueueCapacity(int capacity) {
			this.settings.offlineQueueCapacity(capacity);
			return this;
		}

		/**
		 * Payload bytes held while disconnected (internal reconnection on); 64 MiB by
		 * default.
		 */
		public Builder offlineQueueBytes(long bytes) {
			this.settings.offlineQueueBytes(bytes);
			return this;
		}

		/**
		 * What happens to a publish when the offline buffer is full; {@code FAIL_NEW} by
		 * default.
		 */
		public Builder offlineOverflow(OfflineOverflow policy) {
			this.settings.offlineOverflow(policy);
			return this;
		}

		/**
		 * Messages queued for the network thread before publishers wait; 10,000 by
		 * default.
		 */
		public Builder outboundQueueCapacity(int capacity) {
			this.settings.outboundQueueCapacity(capacity);
			return this;
		}

		/**
		 * Whether the client's own thread delivers messages as they arrive (a
		 * {@code waitMsg()} loop), so the application need not. Off by default, as in the
		 * reference.
		 */
		public Builder dispatchThread(boolean dispatchThread) {
			this.settings.dispatchThread(dispatchThread);
			return this;
		}

		/**
		 * Where QoS 1 and 2 session state outlives the process, e.g. a
		 * {@link io.umqtt.core.store.FileSessionStore}: a new client with the same id and
		 * clean session false then resends what was in flight and never delivers a QoS 2
		 * message twice. In memory only by default. The client closes the store on
		 * {@code disconnect()}.
		 */
		public Builder sessionStore(SessionStore sessionStore) {
			this.settings.sessionStore(sessionStore);
			return this;
		}

		/**
		 * MQTT 5: how long the server keeps the session after the connection ends; zero
		 * (the default) ends it with the connection, {@code 0xFFFFFFFF} seconds never.
		 */
		public Builder sessionExpiry(Duration sessionExpiry) {
			this.settings.sessionExpiry(sessionExpiry);
			return this;
		}

		/** MQTT 5: QoS 1/2 messages the server may have in flight to us; 65,535. */
		public Builder receiveMaximum(int receiveMaximum) {
			this.settings.receiveMaximum(receiveMaximum);
			return this;
		}

		/** MQTT 5: the highest inbound topic alias accepted, 0 (the default) for none. */
		public Builder topicAliasMaximum(int topicAliasMaximum) {
			this.settings.topicAliasMaximum(topicAliasMaximum);
			return this;
		}

		/** MQTT 5: whether the client assigns outbound topic aliases; true. */
		public Builder topicAliases(boolean topicAliases) {
			this.settings.topicAliases(topicAliases);
			return this;
		}

		/** MQTT 5: whether to ask the server for Response Information; false. */
		public Builder requestResponseInformation(boolean request) {
			this.settings.requestResponseInformation(request);
			return this;
		}

		/** MQTT 5: a user property of CONNECT; repeatable, kept in order. */
		public Builder userProperty(String name, String value) {
			this.settings.userProperty(name, value);
			return this;
		}

		/** MQTT 5: enhanced authentication (README, "MQTT 5", says how far). */
		public Builder authenticator(MqttAuthenticator authenticator) {
			this.settings.authenticator(authenticator);
			return this;
		}

		/**
		 * Run on this event loop group (its owner shuts it down) instead of umqtt's
		 * shared one.
		 */
		public Builder eventLoopGroup(EventLoopGroup eventLoopGroup) {
			this.settings.eventLoopGroup(eventLoopGroup);
			return this;
		}

		/**
		 * Builds the client; nothing connects until {@link MqttClient#connect()}.
		 * @return the client
		 * @throws IllegalArgumentException when a password is given without a user name
		 * @throws IllegalStateException when an MQTT 5 setter was used without version 5
		 */
		public MqttClient build() {
			return new MqttClient(config());
		}

		ClientConfig config() {
			return this.settings.toConfig();
		}

	}

}
