package io.umqtt.core.connection;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: exponential from {@code initial}, capped at {@code max}, each drawn
 * at random between half and all of its value (jitter), so that many clients cut off
 * together do not come back together.
 *
 * @param initial the first delay
 * @param max the largest delay
 */
public record Backoff(Duration initial, Duration max) {

	public Backoff {
		if (initial.isNegative() || initial.isZero()) {
			throw new IllegalArgumentException("Initial reconnect delay must be positive");
		}
		if (max.compareTo(initial) < 0) {
			throw new IllegalArgumentException("Maximum reconnect delay must be at least the initial delay");
		}
	}

	/**
	 * Whether a CONNACK refusal is final: retrying cannot fix a wrong protocol version
	 * (1), a rejected client id (2), bad credentials (4) or a missing authorisation (5);
	 * an unavailable server (3) may come back.
	 * @param returnCode the CONNACK return code
	 * @return whether reconnection stops on it
	 */
	public static boolean isFinal(int returnCode) {
		return returnCode == 1 || returnCode == 2 || returnCode == 4 || returnCode == 5 || isFinal5(returnCode);
	}

	/**
	 * Whether an MQTT 5 CONNACK or DISCONNECT reason code says that retrying will not
	 * help: unsupported protocol version, client identifier not valid, bad user name or
	 * password, not authorized, banned, bad authentication method, use another server,
	 * server moved.
	 * @param reasonCode the reason code
	 * @return whether to stop
	 */
	public static boolean isFinal5(int reasonCode) {
		return switch (reasonCode) {
			case 0x84, 0x85, 0x86, 0x87, 0x8A, 0x8C, 0x9C, 0x9D -> true;
			default -> false;
		};
	}

	/**
	 * The delay before attempt {@code attempt} (0 for the first).
	 * @param attempt how many attempts failed before
	 * @return the delay in nanoseconds
	 */
	public long delayNanos(int attempt) {
		long ceiling = this.initial.toNanos();
		long cap = this.max.toNanos();
		for (int i = 0; i < attempt && ceiling < cap; i++) {
			ceiling = Math.min(cap, ceiling * 2);
		}
		long half = ceiling / 2;
		return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
	}

}
