package io.umqtt.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.netty.channel.EventLoopGroup;
import io.umqtt.core.connection.ClientConfig;
import io.umqtt.core.connection.ClientSettings;
import io.umqtt.core.delivery.ClientRuntime;
import io.umqtt.core.delivery.LastWills;
import io.umqtt.core.delivery.Publisher;
import io.umqtt.core.delivery.Requester;
import io.umqtt.core.session.SessionStore;

/**
 * One MQTT 3.1 / 3.1.1 / 5.0 connection, with every function of the QuecPython
 * {@code umqtt} module under its camelCase name, QoS 0, 1 and 2 throughout, and internal
 * reconnection.
 * <p>
 * Thread-safe. Messages are handed over in the thread that calls {@link #waitMsg()} or
 * {@link #checkMsg()} (or the dispatch thread) and a QoS 1 or 2 one is acknowledged after
 * its callback returns; the error callback runs on a thread of its own.
 * <p>
 * What it does beyond the reference is described in the README ("Behaviour"). The work is
 * done by {@link ClientRuntime} and the packages below it; each method here delegates.
 */
public final class MqttClient {

	private final ClientConfig config;

	private final ClientRuntime runtime;

	/** Request/response, on MQTT 5 only. */
	private final Requester requester;

	private final ConnectionListeners connectionListeners;

	/** The publishing side, held here so that a publish goes straight to it. */
	private final Publisher publisher;

	private volatile LastWill lastWill;

	/** A client for {@code server} on port 1883, no user, keep-alive off. */
	public MqttClient(String clientId, String server) {
		this(builder(clientId, server).config());
	}

	/** A client for {@code server:port}; port 0 means 1883. */
	public MqttClient(String clientId, String server, int port) {
		this(builder(clientId, server).port(port).config());
	}

	/**
	 * A client with user and password ({@code null}: none) and keep-alive in seconds.
	 */
	public MqttClient(String clientId, String server, int port, String user, String password, int keepalive) {
		this(builder(clientId, server).port(port).user(user).password(password).keepalive(keepalive).config());
	}

	private MqttClient(ClientConfig config) {
		this.config = config;
		this.connectionListeners = new ConnectionListeners(this, () -> MqttClient.this.runtime.dispatcher());
		this.runtime = new ClientRuntime(config, this.connectionListeners);
		this.publisher = this.runtime.publisher();
		this.requester = config.isMqtt5() ? new Requester(this.runtime, config.clientId()) : null;
	}

	/** A builder for a client of {@code server}, one setter per parameter. */
	public static Builder builder(String clientId, String server) {
		return new Builder(clientId, server);
	}

	/** Sets the function that gets topic and payload; {@code null} removes it. */
	public void setCallback(MessageCallback callback) {
		this.runtime.dispatcher().callback(callback);
	}

	/** Sets the function that gets whole messages; {@code null} removes it. */
	public void setCallback(MqttMessageListener listener) {
		this.runtime.dispatcher().callback(listener);
	}

	/** The callback set with {@code setCallback} as a listener, or {@code null}. */
	public MqttMessageListener getCallback() {
		return this.runtime.dispatcher().currentCallback();
	}

	/** Sets the function told of reconnection and errors; {@code null}: none. */
	public void errorRegisterCb(ErrorCallback callback) {
		this.runtime.events().errorCallback(callback);
	}

	/** Sets the last will, QoS 0, not retained, from the next {@code connect()}. */
	public void setLastWill(String topic, String msg) {
		setLastWill(topic, msg, false, 0);
	}

	/** Sets the last will, QoS 0, not retained, from the next {@code connect()}. */
	public void setLastWill(String topic, byte[] msg) {
		setLastWill(topic, msg, false, 0);
	}

	/** {@link #setLastWill(String, byte[], boolean, int)} from a UTF-8 string. */
	public void setLastWill(String topic, String msg, boolean retain, int qos) {
		setLastWill(topic, Objects.requireNonNull(msg, "msg").getBytes(StandardCharsets.UTF_8), retain, qos);
	}

	/** Sets the will published if the connection ends without {@code disconnect()}. */
	public void setLastWill(String topic, byte[] msg, boolean retain, int qos) {
		this.lastWill = new LastWill(topic, msg.clone(), retain, qos);
	}

	/**
	 * Sets the last will, on MQTT 5 with its delay and properties; {@code null} removes
	 * it.
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

	/** Sets the observer of what is published and received; {@code null}: none. */
	public void setObserver(MqttClientObserver observer) {
		this.runtime.events().observer(observer);
	}

	/** Adds a listener told about connections made and lost, on the event thread. */
	public void addConnectionListener(MqttConnectionListener listener) {
		this.connectionListeners.add(listener);
	}

	/** Connects with a clean session, as {@link #connect(boolean)} does; returns 0. */
	public int connect() {
		return connect(true);
	}

	/**
	 * Connects and waits for the CONNACK, up to the connect timeout; returns 0.
	 * @throws MqttException when the connection fails or is refused
	 */
	public int connect(boolean cleanSession) {
		this.runtime.connect(cleanSession, this.lastWill);
		return 0;
	}

	/**
	 * Connects without blocking; with internal reconnection, retried until accepted or
	 * finally refused (README, "Behaviour").
	 * @return completes when connected; fails with {@link MqttException} when it cannot
	 */
	public CompletableFuture<Void> connectAsync(boolean cleanSession) {
		return this.runtime.connectAsync(cleanSession, this.lastWill);
	}

	/**
	 * MQTT 5: re-authenticates with the builder's authenticator (README, "MQTT 5").
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

	/** MQTT 5: what the server announced in its last CONNACK, else the defaults. */
	public ServerLimits serverLimits() {
		return this.runtime.connection().serverLimits();
	}

	/** MQTT 5: the client identifier the server assigned, or {@code null}. */
	public String assignedClientId() {
		return this.runtime.connection().assignedClientId();
	}

	/**
	 * MQTT 5: the reason of the server's last DISCONNECT, its name and code (e.g.
	 * {@code Server busy (0x89)}, without the reason string), or {@code null} before the
	 * first.
	 */
	public String lastDisconnect() {
		return this.runtime.connection().lastDisconnect();
	}

	/** Sends DISCONNECT and releases everything; in-flight messages fail. Final. */
	public void disconnect() {
		disconnect(Duration.ZERO);
	}

	/** Waits up to {@code drainTimeout} for in-flight messages, then disconnects. */
	public void disconnect(Duration drainTimeout) {
		this.runtime.disconnect(drainTimeout);
	}

	/**
	 * {@link #disconnect()} so that the broker publishes the will (README, "MQTT 5").
	 */
	public void disconnectWithWill() {
		this.runtime.disconnectWithWill();
	}

	/** Drops the socket (no DISCONNECT, no reconnecting); connect() may follow. */
	public void close() {
		this.runtime.close();
	}

	/**
	 * Replaces the TLS material; the connection is dropped and reconnects with it.
	 * @throws MqttException without TLS, or when the material cannot be used
	 */
	public void reloadSsl(SslParams sslParams) {
		this.runtime.reloadSsl(sslParams);
	}

	/** Sends PINGREQ; does nothing when keep-alive is 0, as in the reference. */
	public void ping() {
		this.runtime.ping();
	}

	/** The status: 0 connected, 1 connecting, 2 server closed, -1 otherwise. */
	public int getMqttsta() {
		return status().code();
	}

	/** The status; {@code ERROR} also when messages cannot be delivered. */
	public MqttStatus status() {
		return this.runtime.status();
	}

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
	 * Publishes and waits, up to the publish timeout: QoS 0 until written, 1 until
	 * PUBACK, 2 until PUBCOMP. {@code msg} is not copied.
	 * @return whether delivered as the QoS promises (README, "Behaviour")
	 * @throws IllegalArgumentException for an invalid topic, QoS or oversized message
	 */
	public boolean publish(String topic, byte[] msg, boolean retain, int qos) {
		return this.runtime.publish(topic, msg, retain, qos);
	}

	/** {@link #publishAsync(String, byte[], boolean, int)} of a UTF-8 string. */
	public CompletableFuture<Void> publishAsync(String topic, String msg, boolean retain, int qos) {
		return publishAsync(topic, Objects.requireNonNull(msg, "msg").getBytes(StandardCharsets.UTF_8), retain, qos);
	}

	/**
	 * Publishes without waiting for the broker; waits only for room in the in-flight
	 * window and the queue. {@code msg} is not copied.
	 * @return completes on the event loop when written (QoS 0), at PUBACK or PUBCOMP;
	 * fails with {@link MqttException} otherwise
	 * @throws IllegalArgumentException for an invalid topic, QoS or oversized message
	 */
	public CompletableFuture<Void> publishAsync(String topic, byte[] msg, boolean retain, int qos) {
		return this.publisher.publish(topic, msg, retain, qos);
	}

	/** {@link #publish(String, byte[], boolean, int)} with MQTT 5 properties. */
	public boolean publish(String topic, byte[] msg, boolean retain, int qos, MqttProperties properties) {
		return this.runtime.publish(topic, msg, retain, qos, properties);
	}

	/** {@link #publishAsync(String, byte[], boolean, int)}, MQTT 5 properties. */
	public CompletableFuture<Void> publishAsync(String topic, byte[] msg, boolean retain, int qos,
			MqttProperties properties) {
		return this.publisher.publish(topic, msg, retain, qos, properties);
	}

	/**
	 * MQTT 5: publishes a request with this client's response topic and correlation data,
	 * and completes with the matching reply (see {@link Requester}).
	 * @throws IllegalStateException on MQTT 3.1 and 3.1.1
	 */
	public CompletableFuture<MqttMessage> request(String topic, byte[] msg, int qos, MqttProperties props,
			Duration timeout) {
		if (this.requester == null) {
			throw new IllegalStateException("request(...) needs MQTT 5; this client speaks " + this.config.version());
		}
		return this.requester.request(topic, msg, qos, props, timeout);
	}

	/** Subscribes with QoS 0; see {@link #subscribe(String, int)}. */
	public int subscribe(String topic) {
		return subscribe(topic, 0);
	}

	/**
	 * Subscribes to a filter and waits for the SUBACK, up to the publish timeout; its
	 * messages go to the callback. Renewed when a reconnect finds no session.
	 * @return the QoS the broker granted
	 * @throws MqttException when the broker refuses ({@code 0x80}) or does not answer
	 */
	public int subscribe(String topic, int qos) {
		return subscribe(topic, qos, (MqttMessageListener) null);
	}

	/** {@link #subscribe(String, int)}, the messages to {@code listener}. */
	public int subscribe(String topic, int qos, MqttMessageListener listener) {
		return this.runtime.subscribe(topic, qos, listener);
	}

	/**
	 * {@link #subscribe(String, int, MqttMessageListener)} without waiting; before the
	 * first {@code connect()} it goes out with the connection.
	 * @return completes with the granted QoS; fails with {@link MqttException} when
	 * refused
	 */
	public CompletableFuture<Integer> subscribeAsync(String topic, int qos, MqttMessageListener listener) {
		return this.runtime.subscribeAsync(topic, qos, listener);
	}

	/**
	 * {@link #subscribe(String, int)} with MQTT 5 options (README, "MQTT 5").
	 * @throws IllegalArgumentException for options other than the default on 3.1/3.1.1
	 */
	public int subscribe(String topic, int qos, SubscribeOptions options) {
		return this.runtime.subscribe(topic, qos, options, null);
	}

	/** {@link #subscribeAsync(String, int, MqttMessageListener)} with MQTT 5 options. */
	public CompletableFuture<Integer> subscribeAsync(String topic, int qos, SubscribeOptions options,
			MqttMessageListener listener) {
		return this.runtime.subscribeAsync(topic, qos, options, listener);
	}

	/** Unsubscribes and waits for the UNSUBACK (README, "Behaviour"). */
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

	/** Delivers, in this thread, every message that has arrived, without waiting. */
	public void checkMsg() {
		this.runtime.checkMsg();
	}

	/**
	 * Waits for a message and delivers it in this thread, across reconnects.
	 * @throws MqttException when the connection is lost for good, or disconnected
	 */
	public void waitMsg() {
		this.runtime.waitMsg(-1);
	}

	/** {@link #waitMsg()} for up to {@code timeout}; whether a message was delivered. */
	public boolean waitMsg(Duration timeout) {
		return this.runtime.waitMsg(timeout.toNanos());
	}

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

	/** The last connection error, credentials masked; {@code null} while all is well. */
	public String lastError() {
		return this.runtime.lastError();
	}

	/** Acknowledgements for a packet id not in flight, logged and ignored. */
	public long unexpectedAcks() {
		return this.runtime.connection().outbox().unexpectedAcks();
	}

	/** Events for the error callback and listeners dropped, their queue full. */
	public long droppedEvents() {
		return this.runtime.events().droppedEvents();
	}

	/** How many times internal reconnection succeeded. */
	public long reconnectCount() {
		return this.runtime.connection().reconnects();
	}

	/** QoS 1 and 2 messages accepted and not yet acknowledged; cheap. */
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

	/** The most received messages that waited for delivery at once. */
	public int pendingMessagesPeak() {
		return this.runtime.inbound().peak();
	}

	/** Received messages no listener or callback took (README, "Behaviour"). */
	public long unhandledMessages() {
		return this.runtime.dispatcher().unhandled();
	}

	/** QoS 0 messages dropped, the inbound overflow full (README). */
	public long droppedMessages() {
		return this.runtime.events().droppedMessages();
	}

	@Override
	public String toString() {
		return "MqttClient[" + this.config + ", status=" + status() + "]";
	}

	/**
	 * Builds a client: the reference's parameters with its defaults, and umqtt's own
	 * settings; each setter checks its value ({@link IllegalArgumentException}).
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

		/** How long a blocking publish or subscribe waits for its answer; 5 s. */
		public Builder publishTimeout(Duration publishTimeout) {
			this.settings.publishTimeout(publishTimeout);
			return this;
		}

		/** QoS 1 and 2 messages awaiting acknowledgement at once, 1 to 65,535; 100. */
		public Builder maxInflight(int maxInflight) {
			this.settings.maxInflight(maxInflight);
			return this;
		}

		/** The largest packet accepted from the broker, at least 2 bytes; 64 MiB. */
		public Builder maxPacketSize(int maxPacketSize) {
			this.settings.maxPacketSize(maxPacketSize);
			return this;
		}

		/** The largest packet the broker takes, at least 5; a larger PUBLISH fails. */
		public Builder maxOutgoingPacketSize(int maxOutgoingPacketSize) {
			this.settings.maxOutgoingPacketSize(maxOutgoingPacketSize);
			return this;
		}

		/**
		 * How many times, 1 to 100 (3), the broker may reject a QoS 1 or 2 PUBLISH by
		 * closing on it, the message then sent alone, before it fails; README
		 * "Reliability" says which closes count.
		 */
		public Builder maxPublishAttempts(int attempts) {
			this.settings.maxPublishAttempts(attempts);
			return this;
		}

		/** Reconnect back-off, first delay and cap, with jitter; 1 s and 30 s. */
		public Builder reconnectDelay(Duration initial, Duration max) {
			this.settings.reconnectDelay(initial, max);
			return this;
		}

		/** Received messages held before reading pauses; 1,000 (README). */
		public Builder inboundQueueCapacity(int capacity) {
			this.settings.inboundQueueCapacity(capacity);
			return this;
		}

		/**
		 * Payload bytes of received messages held before reading pauses; 64 MiB. README
		 * "Reliability" says what happens beyond it.
		 */
		public Builder inboundQueueBytes(long bytes) {
			this.settings.inboundQueueBytes(bytes);
			return this;
		}

		/** Messages held while disconnected (internal reconnection on); 10,000. */
		public Builder offlineQueueCapacity(int capacity) {
			this.settings.offlineQueueCapacity(capacity);
			return this;
		}

		/** Payload bytes held while disconnected (internal reconnection on); 64 MiB. */
		public Builder offlineQueueBytes(long bytes) {
			this.settings.offlineQueueBytes(bytes);
			return this;
		}

		/** What a publish meets when the offline buffer is full; {@code FAIL_NEW}. */
		public Builder offlineOverflow(OfflineOverflow policy) {
			this.settings.offlineOverflow(policy);
			return this;
		}

		/** Messages queued for the network thread before publishers wait; 10,000. */
		public Builder outboundQueueCapacity(int capacity) {
			this.settings.outboundQueueCapacity(capacity);
			return this;
		}

		/** Whether the client's own thread delivers messages as they arrive; off. */
		public Builder dispatchThread(boolean dispatchThread) {
			this.settings.dispatchThread(dispatchThread);
			return this;
		}

		/**
		 * Where QoS 1 and 2 session state outlives the process (a
		 * {@link io.umqtt.core.store.FileSessionStore}); in memory by default. Closed on
		 * {@code disconnect()}.
		 */
		public Builder sessionStore(SessionStore sessionStore) {
			this.settings.sessionStore(sessionStore);
			return this;
		}

		/** MQTT 5: how long the server keeps the session after the connection; zero. */
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

		/** Runs on this event loop group (its owner shuts it down). */
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
