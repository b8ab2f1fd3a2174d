package io.umqtt.core.connection;

import io.umqtt.core.MqttException;
import io.umqtt.core.ReasonCode;
import io.umqtt.core.packet.Disconnect;
import io.umqtt.core.packet.PacketProperties;
import org.jspecify.annotations.Nullable;

/**
 * MQTT 5: a DISCONNECT from the server. It names the reason the connection ends, decides
 * whether internal reconnection may follow (not after the codes a retry cannot fix), and
 * keeps the back-off growing across connections the server ends soon after accepting them
 * (a session taken over, 0x8E), so that two clients of one identifier do not take the
 * session from each other in a tight loop. Event loop only.
 */
final class ServerDisconnect {

	/** Session taken over. */
	static final int SESSION_TAKEN_OVER = 0x8E;

	/** The DISCONNECT of the connection now closing, or {@code null}. */
	private @Nullable Disconnect pending;

	/** What the last one said, for operators; {@code null} before the first. */
	private volatile @Nullable String last;

	/** Connections in a row the server ended soon after accepting them. */
	private int shortLived;

	/** When the current connection was accepted, {@link System#nanoTime()}. */
	private long acceptedAt;

	/**
	 * A DISCONNECT arrived; the connection closes next.
	 * @return the text the error callback gets:
	 * {@code disconnected by server: <reason name> (0x8E)[: <reason string>]}
	 */
	/**
	 * What makes a server's DISCONNECT a protocol error, or {@code null}: a Session
	 * Expiry Interval, which only a client may send on DISCONNECT [MQTT-3.14.2-2].
	 */
	static @Nullable String violation(Disconnect disconnect) {
		if (disconnect.properties().sessionExpiryInterval() == PacketProperties.ABSENT) {
			return null;
		}
		return "the server's DISCONNECT (" + ReasonCode.describe(disconnect.reasonCode(), 14)
				+ ") carries a Session Expiry Interval, which only a client may send [MQTT-3.14.2-2]";
	}

	String received(Disconnect disconnect) {
		this.pending = disconnect;
		String reason = disconnect.properties().reasonString();
		String text = "disconnected by server: " + ReasonCode.describe(disconnect.reasonCode(), 14)
				+ ((reason != null) ? ": " + reason : "");
		this.last = ReasonCode.describe(disconnect.reasonCode(), 14);
		return text;
	}

	/** The server accepted a connection. */
	void accepted() {
		this.acceptedAt = System.nanoTime();
	}

	/**
	 * The connection closed: the DISCONNECT it ended with, if any, now consumed.
	 * @param serverEnded whether the server ended it (a DISCONNECT, or a close that was
	 * not this side's: Mosquitto 2.0 closes a taken-over connection without DISCONNECT)
	 * @param stableNanos how long a connection must have lasted for the back-off to start
	 * again from its first delay
	 */
	@Nullable Disconnect closed(boolean serverEnded, long stableNanos) {
		Disconnect disconnect = this.pending;
		this.pending = null;
		boolean brief = System.nanoTime() - this.acceptedAt < stableNanos;
		if ((serverEnded || disconnect != null) && brief) {
			this.shortLived++;
		}
		else {
			this.shortLived = 0;
		}
		return disconnect;
	}

	/**
	 * How many attempts the back-off counts as failed before the next one: the
	 * connections in a row the server ended soon after accepting them (a session taken
	 * over by another client of the same identifier, which then loses it again).
	 */
	int backoffAttempts() {
		return this.shortLived;
	}

	/** Whether retrying cannot fix what the DISCONNECT says. */
	static boolean isFinal(Disconnect disconnect) {
		return Backoff.isFinal5(disconnect.reasonCode());
	}

	/** What waiting calls fail with when no reconnection follows. */
	static MqttException failure(Disconnect disconnect, String text) {
		return new MqttException(text, MqttException.NO_CODE, disconnect.reasonCode(), null);
	}

	/**
	 * The last DISCONNECT's reason name and code, e.g. {@code Session taken over (0x8E)}.
	 */
	@Nullable String last() {
		return this.last;
	}

}
