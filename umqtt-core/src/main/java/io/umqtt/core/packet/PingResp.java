package io.umqtt.core.packet;

/**
 * PINGRESP, server to client. It has no variable header or payload; use
 * {@link #INSTANCE}.
 */
public record PingResp() implements Packet {

	/** The only value there is. */
	public static final PingResp INSTANCE = new PingResp();

	@Override
	public int type() {
		return 13;
	}

}
