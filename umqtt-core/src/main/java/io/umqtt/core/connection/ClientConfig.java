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
		boolean ssl, SslParams sslParams, boolean reconn, int version, Duration connectTimeout,
		Duration publishTimeout, int maxInflight, int maxPacketSize, Backoff reconnectBackoff,
		int inboundQueueCapacity, int offlineQueueCapacity, int outboundQueueCapacity, boolean dispatchThread,
		EventLoopGroup eventLoopGroup, io.umqtt.core.session.SessionStore sessionStore, long offlineQueueBytes,
		OfflineOverflow offlineOverflow, int maxOutgoingPacketSize, int maxPublishAttempts, long inboundQueueBytes) {

	/** The protocol level CONNECT carries: 3 for MQTT 3.1, 4 for MQTT 3.1.1. */
	public int protocolLevel() {
		return (this.version == 3) ? 3 : 4;
	}

	/** {@code host:port}. */
	public String address() {
		return this.server + ":" + this.port;
	}

	@Override
	public String toString() {
		return "ClientConfig[clientId=" + this.clientId + ", server=" + address() + ", user=" + this.user
				+ ", password=" + ((this.password != null) ? "******" : null) + ", keepalive=" + this.keepalive
				+ ", ssl=" + this.ssl + ", reconn=" + this.reconn + ", version=" + this.version + "]";
	}

}
