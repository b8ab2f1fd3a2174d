package io.umqtt.core.packet;

/**
 * DISCONNECT, client to server: a clean goodbye, so the will is not published. It has no variable header or payload; use {@link #INSTANCE}.
 */
public record Disconnect() implements Packet {

	/** The only value there is. */
	public static final Disconnect INSTANCE = new Disconnect();

	@Override
	public int type() {
		return 14;
	}

}
