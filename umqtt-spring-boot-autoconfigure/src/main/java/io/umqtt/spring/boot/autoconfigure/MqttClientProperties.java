package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationUnit;

/**
 * The settings of one MQTT client: the top level of {@code umqtt.*} for the primary
 * client, and each {@code umqtt.clients.<name>.*}. A named client takes {@code server},
 * {@code port} and {@code ssl} from the top level when it does not set them, and the top
 * level's {@code user} and {@code password} only when it connects to the same server and
 * port (or sets {@code inherit-credentials=true}).
 */
public class MqttClientProperties {

	/** Broker host name or address. */
	private @Nullable String server;

	/** Broker port; 0 means 1883, or 8883 with SSL. */
	private @Nullable Integer port;

	/** Client identifier; by default the application name and a random suffix. */
	private @Nullable String clientId;

	/** User name. */
	private @Nullable String user;

	/** Password; needs a user name. */
	private @Nullable String password;

	/**
	 * Named clients only: whether to use the top level's user and password when this
	 * client sets no user. By default they are inherited only when the client connects to
	 * the same server and port as the primary client.
	 */
	private @Nullable Boolean inheritCredentials;

	/** Keep-alive interval; zero disables it. Plain numbers are seconds. */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration keepalive = Duration.ZERO;

	/** Whether the client reconnects by itself when the connection is lost. */
	private boolean reconn = true;

	/**
	 * MQTT version: 3 for MQTT 3.1, 4 for MQTT 3.1.1, 5 for MQTT 5.0. A named client does
	 * not take it from the top level.
	 */
	private int version = 4;

	/** Whether the broker discards the session at each connect (false resumes it). */
	private boolean cleanSession = true;

	/** How long TCP, TLS and CONNACK may take together. */
	private Duration connectTimeout = Duration.ofSeconds(20);

	/**
	 * How long a blocking publish waits for PUBACK or PUBCOMP, and subscribe for SUBACK.
	 */
	private Duration publishTimeout = Duration.ofSeconds(5);

	/** How many QoS 1 and 2 messages may await acknowledgement at once. */
	private int maxInflight = 100;

	/**
	 * MQTT 5: how long the broker keeps the session after the connection ends; zero ends
	 * it with the connection, 4294967295s never. Plain numbers are seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration sessionExpiry = Duration.ZERO;

	/**
	 * MQTT 5: how many QoS 1 and 2 messages the broker may send this client before it
	 * acknowledged them, 1 to 65535.
	 */
	private int receiveMaximum = 65_535;

	/**
	 * MQTT 5: the highest topic alias the broker may use towards this client, 0 to 65535;
	 * 0 accepts none.
	 */
	private int topicAliasMaximum;

	/**
	 * MQTT 5: whether the client may assign topic aliases to the topics it publishes to,
	 * within the broker's topic alias maximum (the client does not assign any yet).
	 */
	private boolean topicAliases = true;

	/**
	 * MQTT 5: whether the client asks the broker for Response Information in CONNACK.
	 */
	private boolean requestResponseInformation;

	/**
	 * MQTT 5: user properties sent with CONNECT, in the order configured.
	 */
	private final Map<String, String> userProperties = new LinkedHashMap<>();

	/** The MQTT 5 keys given a value, told apart from the defaults. */
	private final Set<Mqtt5Key> mqtt5KeysSet = EnumSet.noneOf(Mqtt5Key.class);

	private final Ssl ssl = new Ssl();

	private final LastWill lastWill = new LastWill();

	public @Nullable String getServer() {
		return this.server;
	}

	public void setServer(@Nullable String server) {
		this.server = server;
	}

	public @Nullable Integer getPort() {
		return this.port;
	}

	public void setPort(@Nullable Integer port) {
		this.port = port;
	}

	public @Nullable String getClientId() {
		return this.clientId;
	}

	public void setClientId(@Nullable String clientId) {
		this.clientId = clientId;
	}

	public @Nullable String getUser() {
		return this.user;
	}

	public void setUser(@Nullable String user) {
		this.user = user;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public @Nullable Boolean getInheritCredentials() {
		return this.inheritCredentials;
	}

	public void setInheritCredentials(@Nullable Boolean inheritCredentials) {
		this.inheritCredentials = inheritCredentials;
	}

	public Duration getKeepalive() {
		return this.keepalive;
	}

	public void setKeepalive(Duration keepalive) {
		this.keepalive = keepalive;
	}

	public boolean isReconn() {
		return this.reconn;
	}

	public void setReconn(boolean reconn) {
		this.reconn = reconn;
	}

	public int getVersion() {
		return this.version;
	}

	public void setVersion(int version) {
		if (version < 3 || version > 5) {
			throw new IllegalArgumentException("must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was " + version);
		}
		this.version = version;
	}

	public boolean isCleanSession() {
		return this.cleanSession;
	}

	public void setCleanSession(boolean cleanSession) {
		this.cleanSession = cleanSession;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getPublishTimeout() {
		return this.publishTimeout;
	}

	public void setPublishTimeout(Duration publishTimeout) {
		this.publishTimeout = publishTimeout;
	}

	public int getMaxInflight() {
		return this.maxInflight;
	}

	public void setMaxInflight(int maxInflight) {
		this.maxInflight = maxInflight;
	}

	public Duration getSessionExpiry() {
		return this.sessionExpiry;
	}

	public void setSessionExpiry(Duration sessionExpiry) {
		if (sessionExpiry.isNegative() || sessionExpiry.getSeconds() > 0xFFFF_FFFFL) {
			throw new IllegalArgumentException("must be 0 to 4294967295 seconds (never expires), was " + sessionExpiry);
		}
		this.sessionExpiry = sessionExpiry;
		this.mqtt5KeysSet.add(Mqtt5Key.SESSION_EXPIRY);
	}

	public int getReceiveMaximum() {
		return this.receiveMaximum;
	}

	public void setReceiveMaximum(int receiveMaximum) {
		if (receiveMaximum < 1 || receiveMaximum > 65_535) {
			throw new IllegalArgumentException("must be 1 to 65535, was " + receiveMaximum);
		}
		this.receiveMaximum = receiveMaximum;
		this.mqtt5KeysSet.add(Mqtt5Key.RECEIVE_MAXIMUM);
	}

	public int getTopicAliasMaximum() {
		return this.topicAliasMaximum;
	}

	public void setTopicAliasMaximum(int topicAliasMaximum) {
		if (topicAliasMaximum < 0 || topicAliasMaximum > 65_535) {
			throw new IllegalArgumentException("must be 0 to 65535, was " + topicAliasMaximum);
		}
		this.topicAliasMaximum = topicAliasMaximum;
		this.mqtt5KeysSet.add(Mqtt5Key.TOPIC_ALIAS_MAXIMUM);
	}

	public boolean isTopicAliases() {
		return this.topicAliases;
	}

	public void setTopicAliases(boolean topicAliases) {
		this.topicAliases = topicAliases;
		this.mqtt5KeysSet.add(Mqtt5Key.TOPIC_ALIASES);
	}

	public boolean isRequestResponseInformation() {
		return this.requestResponseInformation;
	}

	public void setRequestResponseInformation(boolean requestResponseInformation) {
		this.requestResponseInformation = requestResponseInformation;
		this.mqtt5KeysSet.add(Mqtt5Key.REQUEST_RESPONSE_INFORMATION);
	}

	public Map<String, String> getUserProperties() {
		return this.userProperties;
	}

	/**
	 * The MQTT 5 keys this client was given a value for (user-properties when it has
	 * any), relative to the client's prefix, in the order they are documented.
	 * @return the keys, such as {@code session-expiry}
	 */
	List<String> mqtt5KeysSet() {
		List<String> keys = new ArrayList<>();
		for (Mqtt5Key key : Mqtt5Key.values()) {
			if (this.mqtt5KeysSet.contains(key)
					|| (key == Mqtt5Key.USER_PROPERTIES && !this.userProperties.isEmpty())) {
				keys.add(key.key);
			}
		}
		keys.addAll(this.lastWill.mqtt5KeysSet());
		return keys;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public LastWill getLastWill() {
		return this.lastWill;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[server=" + this.server + ", port=" + this.port + ", clientId="
				+ this.clientId + ", user=" + this.user + ", password=" + ((this.password != null) ? "******" : null)
				+ "]";
	}

	/** The keys only MQTT 5 knows, in the order they are documented. */
	private enum Mqtt5Key {

		SESSION_EXPIRY("session-expiry"), RECEIVE_MAXIMUM("receive-maximum"),
		TOPIC_ALIAS_MAXIMUM("topic-alias-maximum"), TOPIC_ALIASES("topic-aliases"),
		REQUEST_RESPONSE_INFORMATION("request-response-information"), USER_PROPERTIES("user-properties");

		private final String key;

		Mqtt5Key(String key) {
			this.key = key;
		}

	}

	/** TLS settings. */
	public static class Ssl {

		/** Whether to use TLS; implied by a bundle, and cannot be false next to one. */
		private @Nullable Boolean enabled;

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) with the trust material and client
		 * key; its options (ciphers, enabled-protocols) apply too.
		 */
		private @Nullable String bundle;

		/**
		 * Whether the server's host name is verified against its certificate (on by
		 * default).
		 */
		private @Nullable Boolean verifyHostname;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public @Nullable Boolean getVerifyHostname() {
			return this.verifyHostname;
		}

		public void setVerifyHostname(@Nullable Boolean verifyHostname) {
			this.verifyHostname = verifyHostname;
		}

	}

	/**
	 * The message the broker publishes if the client's connection ends without a
	 * DISCONNECT.
	 */
	public static class LastWill {

		/** Topic of the last will; none when empty. */
		private @Nullable String topic;

		/** Message of the last will. */
		private String msg = "";

		/** Whether the broker retains the last will. */
		private boolean retain;

		/** QoS of the last will: 0, 1 or 2. */
		private int qos;

		/**
		 * MQTT 5: how long the broker waits after the connection ended before it
		 * publishes the will (Will Delay Interval); plain numbers are seconds. At once
		 * when not set.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration delay;

		/** MQTT 5: the Content Type of the will message, such as application/json. */
		private @Nullable String contentType;

		/**
		 * MQTT 5: how long the broker keeps the published will for subscribers that have
		 * not received it yet (Message Expiry Interval); plain numbers are seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration messageExpiry;

		/** MQTT 5: user properties of the will message, in the order configured. */
		private final Map<String, String> userProperties = new LinkedHashMap<>();

		public @Nullable Duration getDelay() {
			return this.delay;
		}

		public void setDelay(@Nullable Duration delay) {
			if (delay != null && (delay.isNegative() || delay.getSeconds() > 0xFFFF_FFFFL)) {
				throw new IllegalArgumentException("must be 0 to 4294967295 seconds, was " + delay);
			}
			this.delay = delay;
		}

		public @Nullable String getContentType() {
			return this.contentType;
		}

		public void setContentType(@Nullable String contentType) {
			this.contentType = contentType;
		}

		public @Nullable Duration getMessageExpiry() {
			return this.messageExpiry;
		}

		public void setMessageExpiry(@Nullable Duration messageExpiry) {
			if (messageExpiry != null && (messageExpiry.isNegative() || messageExpiry.getSeconds() > 0xFFFF_FFFFL)) {
				throw new IllegalArgumentException("must be 0 to 4294967295 seconds, was " + messageExpiry);
			}
			this.messageExpiry = messageExpiry;
		}

		public Map<String, String> getUserProperties() {
			return this.userProperties;
		}

		/** The MQTT 5 will keys given a value, relative to the client's prefix. */
		List<String> mqtt5KeysSet() {
			List<String> keys = new ArrayList<>();
			if (this.delay != null) {
				keys.add("last-will.delay");
			}
			if (this.contentType != null) {
				keys.add("last-will.content-type");
			}
			if (this.messageExpiry != null) {
				keys.add("last-will.message-expiry");
			}
			if (!this.userProperties.isEmpty()) {
				keys.add("last-will.user-properties");
			}
			return keys;
		}

		public @Nullable String getTopic() {
			return this.topic;
		}

		public void setTopic(@Nullable String topic) {
			this.topic = topic;
		}

		public @Nullable String getMsg() {
			return this.msg;
		}

		public void setMsg(@Nullable String msg) {
			this.msg = msg;
		}

		public boolean isRetain() {
			return this.retain;
		}

		public void setRetain(boolean retain) {
			this.retain = retain;
		}

		public int getQos() {
			return this.qos;
		}

		public void setQos(int qos) {
			this.qos = qos;
		}

	}

}
