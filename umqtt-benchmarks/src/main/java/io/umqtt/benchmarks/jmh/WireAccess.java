package io.umqtt.benchmarks.jmh;

import io.umqtt.core.packet.Packet;

/**
 * Lets the load benchmark's raw publisher use the same pre-encoded bytes as the JMH
 * inputs.
 */
public final class WireAccess {

	private WireAccess() {
	}

	public static byte[] encoded(Packet packet) {
		return Wire.encoded(packet);
	}

}
