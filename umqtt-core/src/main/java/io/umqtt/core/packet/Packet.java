package io.umqtt.core.packet;

/**
 * One MQTT control packet. The set is closed, so a {@code switch} over it is exhaustive
 * and the compiler finds a missing case.
 */
public sealed interface Packet permits Connect, ConnAck, Publish, PubAck, PubRec, PubRel, PubComp, Subscribe, SubAck,
		Unsubscribe, UnsubAck, PingReq, PingResp, Disconnect, Auth {

	/**
	 * The control packet type, the high nibble of the first byte (1 CONNECT … 14
	 * DISCONNECT, 15 AUTH on MQTT 5).
	 */
	int type();

}
