package io.umqtt.core.packet;

import java.util.Objects;

import io.netty.buffer.ByteBuf;

/**
 * PUBLISH, both ways.
 * <p>
 * The payload is a Netty buffer so that it is never copied: a decoded PUBLISH holds a
 * retained slice of the bytes read from the socket, and an encoded one is written as its
 * own buffer after the header. Whoever holds a {@code Publish} last releases its payload
 * ({@code payload().release()}); the encoder releases the payload it writes.
 *
 * @param topic topic name, no wildcards
 * @param qos 0, 1 or 2
 * @param retain whether the broker should retain (outbound) or did retain (inbound) it
 * @param dup whether this is a redelivery of an earlier attempt
 * @param packetId 1 to 65,535 for QoS 1 and 2, 0 for QoS 0 (it has none)
 * @param payload the application message
 * @param properties the MQTT 5 properties; {@link PacketProperties#NONE} on 3.1.1. On 5
 * the topic may be empty when the properties carry a Topic Alias
 */
public record Publish(String topic, int qos, boolean retain, boolean dup, int packetId, ByteBuf payload,
		PacketProperties properties) implements Packet {

	public Publish {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(payload, "payload");
		Objects.requireNonNull(properties, "properties");
		QoS.check(qos);
		if (qos == 0) {
			if (packetId != 0) {
				throw new IllegalArgumentException("A QoS 0 PUBLISH has no packet identifier [MQTT-2.3.1-5]");
			}
			if (dup) {
				throw new IllegalArgumentException("DUP must be 0 on a QoS 0 PUBLISH [MQTT-3.3.1-2]");
			}
		}
		else {
			PacketIds.check(packetId);
		}
	}

	/** A PUBLISH without properties, all that MQTT 3.1 and 3.1.1 have. */
	public Publish(String topic, int qos, boolean retain, boolean dup, int packetId, ByteBuf payload) {
		this(topic, qos, retain, dup, packetId, payload, PacketProperties.NONE);
	}

	/** The same message marked as a redelivery (DUP=1), sharing the payload. */
	public Publish asDuplicate() {
		return new Publish(this.topic, this.qos, this.retain, true, this.packetId, this.payload, this.properties);
	}

	/**
	 * The same message with another payload buffer, e.g. a retained duplicate for a
	 * resend.
	 */
	public Publish withPayload(ByteBuf payload) {
		return new Publish(this.topic, this.qos, this.retain, this.dup, this.packetId, payload, this.properties);
	}

	@Override
	public int type() {
		return 3;
	}

	@Override
	public String toString() {
		return "Publish[topic=" + this.topic + ", qos=" + this.qos + ", retain=" + this.retain + ", dup=" + this.dup
				+ ", packetId=" + this.packetId + ", " + this.payload.readableBytes() + " bytes"
				+ ((this.properties == PacketProperties.NONE) ? "" : ", " + this.properties) + "]";
	}

}
