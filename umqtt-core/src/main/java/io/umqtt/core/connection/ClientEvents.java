package io.umqtt.core.connection;

import io.umqtt.core.packet.Publish;

/**
 * What the connection tells the client about. Called on the event loop; implementations
 * pass anything that runs application code to another thread.
 */
public interface ClientEvents {

	void error(String text);

	void connected(boolean sessionPresent, boolean reconnect);

	void connectionLost(String reason);

	void subscriptionRefused(String filter);

	void channelError(String text, Throwable cause);

	void received(Publish publish);

	/** A QoS 0 message was dropped from the full overflow (see {@link InboundQueue}). */
	void dropped(Publish publish);

	/** The overflow is full and QoS 0 messages are being dropped. */
	void overflowDropping(int queued);

	/** The overflow has room again, after {@code count} QoS 0 messages were dropped. */
	void overflowDropped(long count);

}
