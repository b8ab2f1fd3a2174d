package io.umqtt.core.connection;

import java.util.BitSet;

import io.umqtt.core.ReasonCode;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.Publish;

/**
 * MQTT 5: the client's Receive Maximum on one connection. A QoS 1 or 2 PUBLISH counts
 * from its arrival until the client sends its PUBACK, its PUBCOMP, or a PUBREC of 0x80 or
 * more; a server with more than the maximum outstanding breaks [MQTT-3.3.4-9], and the
 * client answers with DISCONNECT 0x93 (Receive Maximum exceeded). A packet id is counted
 * once, so a resent QoS 2 PUBLISH does not count twice. Event loop only.
 */
final class InboundQuota {

	private final int receiveMaximum;

	/** Packet ids outstanding on this connection. */
	private final BitSet outstanding = new BitSet(65_536);

	private int count;

	/**
	 * Creates a new {@code InboundQuota}.
	 * @param receiveMaximum the Receive Maximum the client sent in CONNECT
	 */
	InboundQuota(int receiveMaximum) {
		this.receiveMaximum = receiveMaximum;
	}

	/** A new connection: nothing is outstanding on it. */
	void reset() {
		this.outstanding.clear();
		this.count = 0;
	}

	/**
	 * A PUBLISH arrived.
	 * @param publish the packet
	 * @return whether it is one more than the Receive Maximum allows
	 */
	boolean exceededBy(Publish publish) {
		if (publish.qos() == 0 || this.outstanding.get(publish.packetId())) {
			return false;
		}
		this.outstanding.set(publish.packetId());
		this.count++;
		return this.count > this.receiveMaximum;
	}

	/** The client writes {@code packet}: an answer ends its PUBLISH's count. */
	void sent(Packet packet) {
		int id;
		if (packet instanceof PubAck ack) {
			id = ack.packetId();
		}
		else if (packet instanceof PubComp comp) {
			id = comp.packetId();
		}
		else if (packet instanceof PubRec rec && rec.reasonCode() >= ReasonCode.UNSPECIFIED_ERROR) {
			id = rec.packetId();
		}
		else {
			return;
		}
		if (this.outstanding.get(id)) {
			this.outstanding.clear(id);
			this.count--;
		}
	}

	int receiveMaximum() {
		return this.receiveMaximum;
	}

}
