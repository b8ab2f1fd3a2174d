package io.umqtt.core.connection;

import java.time.Duration;

import io.netty.channel.EventLoopGroup;
import io.umqtt.core.OfflineOverflow;
import io.umqtt.core.SslParams;

/**
 * Everything a client was built with. Immutable; the password never appears in
 * {@link #toString()}.
 */
public record ClientConfig(String clientId, String server, int port, String user, byte[] password, int keepalive,
		boolean ssl, SslParams sslParams, boolean reconn, int version, Duration connectTimeout, Duration publishTimeout,
		int maxInflight, int maxPacketSize, Backoff reconnectBackoff, int inboundQueueCapacity,
		int offlineQueueCapacity, int outboundQueueCapacity, boolean dispatchThread, EventLoopGroup eventLoopGroup,
		io.umqtt.core.session.SessionStore sessionStore, long offlineQueueBytes, OfflineOverflow offlineOverflow,
		int maxOutgoingPacketSize, int maxPublishAttempts, long inboundQueueBytes, Mqtt5Options mqtt5) {

	private static final java.util.regex.Pattern URI_USER_INFO = java.util.regex.Pattern
		.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]+@");

	/**
	 * The protocol level CONNECT carries: 3 for MQTT 3.1, 4 for MQTT 3.1.1, 5 for MQTT
	 * 5.0.
	 */
	public int protocolLevel() {
		return this.version;
	}

	/** Whether the client speaks MQTT 5. */
	public boolean isMqtt5() {
		return this.version == 5;
	}

	/** {@code host:port}. */
	public String address() {
		return this.server + ":" + this.port;
	}

	/**
	 * Checks that a CONNECT can carry {@code value}, at {@code build()} rather than at
	 * every connect.
	 */
	public static void checkEncodable(String value, String what) {
		int bytes = io.umqtt.core.topic.Utf8.encodedLength(value);
		if (bytes < 0) {
			throw new IllegalArgumentException("The " + what + " is not well-formed UTF-8 [MQTT-1.5.3-1]");
		}
		if (bytes > 65_535) {
			throw new IllegalArgumentException("The " + what + " is " + bytes
					+ " UTF-8 bytes, more than the 65535 a CONNECT can carry [MQTT-1.5.3]");
		}
		if (value.indexOf('\u0000') >= 0) {
			throw new IllegalArgumentException("The " + what + " must not contain U+0000 [MQTT-1.5.3-2]");
		}
	}

	public static Duration positive(Duration value, String name) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive");
		}
		return value;
	}

	public static int atLeastOne(int value, String name) {
		if (value < 1) {
			throw new IllegalArgumentException(name + " must be at least 1, was " + value);
		}
		return value;
	}

	/**
	 * {@code text} with the credentials a server's reason may echo hidden: each
	 * occurrence of the password, and the user information of a URI
	 * ({@code tcp://user:secret@host}), become {@code ******}. The user name elsewhere
	 * stays (it is no secret, and masking it would also mask every word that contains
	 * it).
	 */
	public String masked(String text) {
		String result = text;
		if (this.password != null && this.password.length > 0) {
			result = result.replace(new String(this.password, java.nio.charset.StandardCharsets.UTF_8), "******");
		}
		return URI_USER_INFO.matcher(result).replaceAll("$1******@");
	}

	@Override
	public String toString() {
		return "ClientConfig[clientId=" + this.clientId + ", server=" + address() + ", user=" + this.user
				+ ", password=" + ((this.password != null) ? "******" : null) + ", keepalive=" + this.keepalive
				+ ", ssl=" + this.ssl + ", reconn=" + this.reconn + ", version=" + this.version + "]";
	}

}
