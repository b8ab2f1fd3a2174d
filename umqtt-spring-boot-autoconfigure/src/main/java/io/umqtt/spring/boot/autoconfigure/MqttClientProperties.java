package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

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

	/** MQTT version: 3 for MQTT 3.1, 4 for MQTT 3.1.1. */
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
