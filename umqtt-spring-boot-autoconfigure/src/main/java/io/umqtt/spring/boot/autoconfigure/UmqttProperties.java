package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of umqtt: the top level configures the primary client (the
 * {@code @Primary} bean {@code mqttClient}); {@code umqtt.clients.<name>.*} configures
 * more clients, each a bean qualified by its name.
 */
@ConfigurationProperties("umqtt")
public class UmqttProperties extends MqttClientProperties {

	/** More clients, by name, with the same keys as the top level. */
	private final Map<String, MqttClientProperties> clients = new LinkedHashMap<>();

	/**
	 * Whether the application fails to start when a client cannot connect; by default
	 * clients connect in the background and keep trying.
	 */
	private boolean failFast;

	/**
	 * How long shutdown waits for in-flight QoS 1 and 2 messages before disconnecting.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	private final Embedded embedded = new Embedded();

	private final Listener listener = new Listener();

	private final Template template = new Template();

	public Map<String, MqttClientProperties> getClients() {
		return this.clients;
	}

	public boolean isFailFast() {
		return this.failFast;
	}

	public void setFailFast(boolean failFast) {
		this.failFast = failFast;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Embedded getEmbedded() {
		return this.embedded;
	}

	public Listener getListener() {
		return this.listener;
	}

	public Template getTemplate() {
		return this.template;
	}

	/** How the MqttTemplate beans work. */
	public static class Template {

		/**
		 * How long sendAndReceive and convertSendAndReceive wait for the reply (MQTT 5)
		 * before they return null.
		 */
		private Duration replyTimeout = Duration.ofSeconds(5);

		public Duration getReplyTimeout() {
			return this.replyTimeout;
		}

		public void setReplyTimeout(Duration replyTimeout) {
			this.replyTimeout = replyTimeout;
		}

	}

	/** How @MqttSubscribe methods are invoked. */
	public static class Listener {

		/**
		 * Whether listeners of different subscriptions run concurrently on the
		 * application task executor (virtual threads when
		 * spring.threads.virtual.enabled), each subscription in order; otherwise they run
		 * one at a time on the client's dispatch thread.
		 */
		private boolean concurrent = true;

		/**
		 * Invocations in all for a message whose listener throws, 1 (no retry) to 100.
		 */
		private int maxAttempts = 1;

		/**
		 * Wait before the first retry; doubles with each further one, up to max-backoff.
		 */
		private Duration backoff = Duration.ofSeconds(1);

		/** Longest wait between two attempts, at most 1h; backoff must not exceed it. */
		private Duration maxBackoff = io.umqtt.spring.listener.ListenerRetry.DEFAULT_MAX_BACK_OFF;

		/**
		 * Topic failed messages are republished to; {topic} stands for the original
		 * topic.
		 */
		private @Nullable String deadLetterTopic;

		public boolean isConcurrent() {
			return this.concurrent;
		}

		public void setConcurrent(boolean concurrent) {
			this.concurrent = concurrent;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			if (maxAttempts < 1 || maxAttempts > io.umqtt.spring.listener.ListenerRetry.MAX_ATTEMPTS) {
				throw new IllegalArgumentException("must be between 1 and "
						+ io.umqtt.spring.listener.ListenerRetry.MAX_ATTEMPTS + ", was " + maxAttempts);
			}
			this.maxAttempts = maxAttempts;
		}

		public Duration getBackoff() {
			return this.backoff;
		}

		public void setBackoff(Duration backoff) {
			if (backoff.isNegative()) {
				throw new IllegalArgumentException("must not be negative, was " + backoff);
			}
			this.backoff = backoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			if (maxBackoff.isNegative()
					|| maxBackoff.compareTo(io.umqtt.spring.listener.ListenerRetry.MAX_BACK_OFF) > 0) {
				throw new IllegalArgumentException("must be between 0 and "
						+ io.umqtt.spring.listener.ListenerRetry.MAX_BACK_OFF + ", was " + maxBackoff);
			}
			this.maxBackoff = maxBackoff;
		}

		public @Nullable String getDeadLetterTopic() {
			return this.deadLetterTopic;
		}

		public void setDeadLetterTopic(@Nullable String deadLetterTopic) {
			this.deadLetterTopic = deadLetterTopic;
		}

	}

	/** The broker started in the application when no server is configured. */
	public static class Embedded {

		/**
		 * Whether to start an embedded broker when umqtt.server is not set and one is on
		 * the class path.
		 */
		private boolean enabled = true;

		/** Port of the embedded broker on 127.0.0.1; 0 picks a free one. */
		private int port;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

	}

}
