package io.umqtt.core.connection;

import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttStatus;

/**
 * Where a connection is in its life. The client's status is derived from it, never kept
 * beside it.
 */
public sealed interface ConnectionState {

	/** Never connected yet. */
	ConnectionState IDLE = new Idle();

	/** Disconnected for good. */
	ConnectionState FINISHED = new Finished();

	/** The status the reference's {@code get_mqttsta()} reports for this state. */
	MqttStatus status();

	/** Made, nothing asked for yet: status -1, as in the reference. */
	record Idle() implements ConnectionState {

		@Override
		public MqttStatus status() {
			return MqttStatus.ERROR;
		}

	}

	/**
	 * TCP, TLS and CONNECT/CONNACK under way.
	 *
	 * @param attempt completes with the session-present flag, or fails
	 * @param reconnect whether internal reconnection started it
	 */
	record Connecting(CompletableFuture<Boolean> attempt, boolean reconnect) implements ConnectionState {

		@Override
		public MqttStatus status() {
			return MqttStatus.CONNECTING;
		}

	}

	/** The broker accepted the connection. */
	record Connected() implements ConnectionState {

		@Override
		public MqttStatus status() {
			return MqttStatus.CONNECTED;
		}

	}

	/** Lost or failed, the next attempt scheduled by the {@link Reconnector}. */
	record WaitingToReconnect() implements ConnectionState {

		@Override
		public MqttStatus status() {
			return MqttStatus.CONNECTING;
		}

	}

	/**
	 * Not connected and no attempt coming by itself: closed by the application, refused
	 * for good, or lost with internal reconnection off; {@code connect()} may follow.
	 *
	 * @param byServer whether the server closed it (status 2) rather than an error or the
	 * application (-1)
	 */
	record Closed(boolean byServer) implements ConnectionState {

		@Override
		public MqttStatus status() {
			return this.byServer ? MqttStatus.SERVER_CLOSED : MqttStatus.ERROR;
		}

	}

	/** {@code disconnect()} ran: final. */
	record Finished() implements ConnectionState {

		@Override
		public MqttStatus status() {
			return MqttStatus.ERROR;
		}

	}

}
