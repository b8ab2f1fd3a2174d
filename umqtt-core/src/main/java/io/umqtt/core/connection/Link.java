package io.umqtt.core.connection;

import io.netty.channel.Channel;
import io.umqtt.core.netty.MqttEncoderHandler;
import org.jspecify.annotations.Nullable;

/**
 * The facts of one client's link to the broker that {@link Connection} (the packets read)
 * and {@link Lifecycle} (the commands and connect attempts) share: the state, the channel
 * and why it closes. Written on the event loop; the volatile ones are read by any thread.
 */
final class Link {

	volatile ConnectionState state = ConnectionState.IDLE;

	/**
	 * The channel of the attempt under way or of the connection; {@code null} otherwise.
	 */
	@Nullable Channel channel;

	@Nullable MqttEncoderHandler encoder;

	/** {@code close()} was asked for; cleared by the next connect. */
	boolean userClosed;

	/**
	 * This side closes the current connection (keep-alive, a protocol error, close, TLS
	 * reload).
	 */
	boolean closingHere;

	/** Whether the current (or last) connection was asked for with a clean session. */
	volatile boolean cleanSession = true;

	volatile boolean sessionPresent;

	/** Whether the broker keeps the session after the current (or last) connection. */
	volatile boolean sessionKept;

	volatile @Nullable String lastError;

	/** This side ends the connection, for {@code reason}. */
	void closeHere(Channel ch, String reason) {
		this.lastError = reason;
		this.closingHere = true;
		ch.close();
	}

}
