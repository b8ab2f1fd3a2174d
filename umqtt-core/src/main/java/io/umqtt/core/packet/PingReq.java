package io.umqtt.core.packet;

/**
 * PINGREQ, client to server. It has no variable header or payload; use {@link #INSTANCE}.
 */
public record PingReq() implements Packet {

	/** The only value there is. */
	public static final PingReq INSTANCE = new PingReq();

	@Override
	public int type() {
		return 12;
	}

}
