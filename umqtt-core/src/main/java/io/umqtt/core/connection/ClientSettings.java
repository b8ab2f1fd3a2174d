package io.umqtt.core.connection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.netty.channel.EventLoopGroup;
import io.umqtt.core.MqttAuthenticator;
import io.umqtt.core.OfflineOverflow;
import io.umqtt.core.SslParams;
import io.umqtt.core.UserProperty;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.codec.WireFormat;
import io.umqtt.core.session.SessionStore;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a client being built, behind {@code MqttClient.Builder}: the
 * reference's defaults and umqtt's, each value checked when it is set, and the checks
 * across values (a password needs a user, what a CONNECT can carry) when the
 * {@link ClientConfig} is made. Not thread-safe, as a builder is not.
 */
public final class ClientSettings {

	private final String clientId;

	private final String server;

	private int port;

	private @Nullable String user;

	private byte @Nullable [] password;

	private int keepalive;

	private boolean ssl;

	private @Nullable SslParams sslParams;

	private boolean reconn = true;

	private int version = 4;

	private Duration connectTimeout = Duration.ofSeconds(20);

	private Duration publishTimeout = Duration.ofSeconds(5);

	private int maxInflight = 100;

	private int maxPacketSize = PacketDecoder.DEFAULT_MAX_PACKET_SIZE;

	private Backoff reconnectBackoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

	private int inboundQueueCapacity = 1_000;

	private long inboundQueueBytes = 64L * 1024 * 1024;

	private int offlineQueueCapacity = 10_000;

	private int outboundQueueCapacity = 10_000;

	private boolean dispatchThread;

	private @Nullable EventLoopGroup eventLoopGroup;

	private SessionStore sessionStore = SessionStore.IN_MEMORY;

	private long offlineQueueBytes = 64L * 1024 * 1024;

	private OfflineOverflow offlineOverflow = OfflineOverflow.FAIL_NEW;

	private int maxOutgoingPacketSize = WireFormat.MAX_REMAINING_LENGTH + 5;

	private int maxPublishAttempts = 3;

	private Duration sessionExpiry = Duration.ZERO;

	private int receiveMaximum = 65_535;

	private int topicAliasMaximum;

	private boolean topicAliases = true;

	private boolean requestResponseInformation;

	private final List<UserProperty> userProperties = new ArrayList<>();

	private @Nullable MqttAuthenticator authenticator;

	/** The first MQTT 5 setter called, for the error when the version is not 5. */
	private @Nullable String mqtt5Setter;

	/**
	 * Creates a new {@code ClientSettings}.
	 * @param clientId client identifier; may be empty
	 * @param server host name or address; not blank
	 */
	public ClientSettings(String clientId, String server) {
		this.clientId = Objects.requireNonNull(clientId, "clientId");
		this.server = Objects.requireNonNull(server, "server");
		if (server.isBlank()) {
			throw new IllegalArgumentException("server must not be blank");
		}
	}

	public void port(int port) {
		this.port = range(port, 0, 65_535, "port must be 0..65535, was ");
	}

	public void user(@Nullable String user) {
		this.user = user;
	}

	public void password(@Nullable String password) {
		this.password = (password != null) ? password.getBytes(StandardCharsets.UTF_8) : null;
	}

	public void keepalive(int keepalive) {
		this.keepalive = range(keepalive, 0, 65_535, "keepalive must be 0..65535 seconds, was ");
	}

	public void ssl(boolean ssl) {
		this.ssl = ssl;
	}

	public void sslParams(@Nullable SslParams sslParams) {
		this.sslParams = sslParams;
	}

	public void reconn(boolean reconn) {
		this.reconn = reconn;
	}

	public void version(int version) {
		if (version != 3 && version != 4 && version != 5) {
			throw new IllegalArgumentException(
					"version must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was " + version);
		}
		this.version = version;
	}

	public void connectTimeout(Duration connectTimeout) {
		this.connectTimeout = ClientConfig.positive(connectTimeout, "connectTimeout");
	}

	public void publishTimeout(Duration publishTimeout) {
		this.publishTimeout = ClientConfig.positive(publishTimeout, "publishTimeout");
	}

	public void maxInflight(int maxInflight) {
		this.maxInflight = range(maxInflight, 1, 65_535, "maxInflight must be 1..65535, was ");
	}

	public void maxPacketSize(int maxPacketSize) {
		if (maxPacketSize < 2) {
			throw new IllegalArgumentException("maxPacketSize must be at least 2");
		}
		this.maxPacketSize = maxPacketSize;
	}

	public void maxOutgoingPacketSize(int maxOutgoingPacketSize) {
		this.maxOutgoingPacketSize = range(maxOutgoingPacketSize, 5, Integer.MAX_VALUE,
				"maxOutgoingPacketSize must be at least 5, was ");
	}

	public void maxPublishAttempts(int attempts) {
		this.maxPublishAttempts = range(attempts, 1, 100, "maxPublishAttempts must be 1..100, was ");
	}

	public void reconnectDelay(Duration initial, Duration max) {
		this.reconnectBackoff = new Backoff(initial, max);
	}

	public void inboundQueueCapacity(int capacity) {
		this.inboundQueueCapacity = ClientConfig.atLeastOne(capacity, "inboundQueueCapacity");
	}

	public void inboundQueueBytes(long bytes) {
		this.inboundQueueBytes = atLeastOneByte(bytes, "inboundQueueBytes");
	}

	public void offlineQueueCapacity(int capacity) {
		this.offlineQueueCapacity = ClientConfig.atLeastOne(capacity, "offlineQueueCapacity");
	}

	public void offlineQueueBytes(long bytes) {
		this.offlineQueueBytes = atLeastOneByte(bytes, "offlineQueueBytes");
	}

	public void offlineOverflow(OfflineOverflow policy) {
		this.offlineOverflow = Objects.requireNonNull(policy, "policy");
	}

	public void outboundQueueCapacity(int capacity) {
		this.outboundQueueCapacity = ClientConfig.atLeastOne(capacity, "outboundQueueCapacity");
	}

	public void dispatchThread(boolean dispatchThread) {
		this.dispatchThread = dispatchThread;
	}

	public void sessionStore(SessionStore sessionStore) {
		this.sessionStore = Objects.requireNonNull(sessionStore, "sessionStore");
	}

	public void sessionExpiry(Duration sessionExpiry) {
		Objects.requireNonNull(sessionExpiry, "sessionExpiry");
		if (sessionExpiry.isNegative() || sessionExpiry.getSeconds() > 0xFFFF_FFFFL) {
			throw new IllegalArgumentException(
					"sessionExpiry must be 0 to 4294967295 seconds (never expires), was " + sessionExpiry);
		}
		this.sessionExpiry = sessionExpiry;
		mqtt5("sessionExpiry");
	}

	public void receiveMaximum(int receiveMaximum) {
		this.receiveMaximum = range(receiveMaximum, 1, 65_535, "receiveMaximum must be 1..65535, was ");
		mqtt5("receiveMaximum");
	}

	public void topicAliasMaximum(int topicAliasMaximum) {
		this.topicAliasMaximum = range(topicAliasMaximum, 0, 65_535, "topicAliasMaximum must be 0..65535, was ");
		mqtt5("topicAliasMaximum");
	}

	public void topicAliases(boolean topicAliases) {
		this.topicAliases = topicAliases;
		mqtt5("topicAliases");
	}

	public void requestResponseInformation(boolean requestResponseInformation) {
		this.requestResponseInformation = requestResponseInformation;
		mqtt5("requestResponseInformation");
	}

	public void userProperty(String name, String value) {
		UserProperty property = new UserProperty(name, value);
		ClientConfig.checkEncodable(name, "user property name");
		ClientConfig.checkEncodable(value, "user property value");
		this.userProperties.add(property);
		mqtt5("userProperty");
	}

	public void authenticator(MqttAuthenticator authenticator) {
		this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
		mqtt5("authenticator");
	}

	private void mqtt5(String setter) {
		if (this.mqtt5Setter == null) {
			this.mqtt5Setter = setter;
		}
	}

	public void eventLoopGroup(@Nullable EventLoopGroup eventLoopGroup) {
		this.eventLoopGroup = eventLoopGroup;
	}

	/**
	 * The configuration these settings make.
	 * @throws IllegalArgumentException when a password is given without a user name, or a
	 * CONNECT could not carry the client id, user name or password
	 * @throws IllegalStateException when an MQTT 5 setting is set and the version is not
	 * 5
	 */
	public ClientConfig toConfig() {
		if (this.mqtt5Setter != null && this.version != 5) {
			throw new IllegalStateException(
					this.mqtt5Setter + "(...) needs MQTT 5: version(5), the version was " + this.version);
		}
		if (this.password != null && this.user == null && this.version != 5) {
			throw new IllegalArgumentException("A password needs a user name [MQTT-3.1.2-22]");
		}
		// checked here, not when CONNECT is written: a background connect would retry it
		// for ever
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
				this.maxInflight, this.maxPacketSize, this.reconnectBackoff, this.inboundQueueCapacity,
				this.offlineQueueCapacity, this.outboundQueueCapacity, this.dispatchThread, this.eventLoopGroup,
				this.sessionStore, this.offlineQueueBytes, this.offlineOverflow, this.maxOutgoingPacketSize,
				this.maxPublishAttempts, this.inboundQueueBytes,
				(this.version != 5) ? Mqtt5Options.DEFAULTS
						: new Mqtt5Options(this.sessionExpiry, this.receiveMaximum, this.topicAliasMaximum,
								this.topicAliases, this.requestResponseInformation, this.userProperties,
								this.authenticator));
	}

	private static int range(int value, int min, int max, String message) {
		if (value < min || value > max) {
			throw new IllegalArgumentException(message + value);
		}
		return value;
	}

	private static long atLeastOneByte(long value, String name) {
		if (value < 1) {
			throw new IllegalArgumentException(name + " must be at least 1, was " + value);
		}
		return value;
	}

}
