package io.umqtt.core.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.umqtt.core.packet.Auth;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.Disconnect;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PingReq;
import io.umqtt.core.packet.PingResp;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.packet.Subscribe;
import io.umqtt.core.packet.Subscription;
import io.umqtt.core.packet.UnsubAck;
import io.umqtt.core.packet.Unsubscribe;
import io.umqtt.core.packet.Will;
import io.umqtt.core.topic.Utf8;

/**
 * Encodes packets, in two ways. {@link #encode(Packet, ByteBufAllocator, List)} gives
 * each packet buffers of exactly the size it needs, computed before anything is written:
 * a PUBLISH with a direct payload becomes two buffers, its header (fixed header, topic,
 * packet id) and a view of the payload, never copied; a heap payload (a wrapped
 * {@code byte[]}) is written into the frame instead: the socket needs direct memory, so
 * that copy would happen anyway, and one buffer is cheaper to write than two.
 * {@link #encode(Packet, ByteBuf)} appends whole packets to a buffer the caller holds, so
 * that many small packets share one buffer and one write; the connection does that for
 * everything but large and direct payloads.
 * <p>
 * The UTF-8 bytes of recent topic names are cached, so a repeated topic is not encoded
 * again.
 * <p>
 * {@link #INSTANCE} writes MQTT 3.1 and 3.1.1, which have no properties or reason codes:
 * it leaves the MQTT 5 fields of a packet out (the client refuses them on 3.1.1 before a
 * packet is made), and refuses AUTH. {@link #MQTT_5} writes MQTT 5. A CONNECT is written
 * for its own protocol level by either.
 * <p>
 * Thread-safe. Buffer ownership: every buffer added to {@code out} belongs to the caller
 * (Netty releases it once written); one reference to the payload of an encoded PUBLISH is
 * handed over, so a caller that needs it again passes {@code payload().retain()}. The
 * payload's reader index is never moved, so the same buffer can be encoded again for a
 * resend.
 */
public final class PacketEncoder {

	/** A PUBREL's first byte: its flags must be 0010 [MQTT-3.6.1-1]. */
	private static final int PUBREL = 0x62;

	/** The shared MQTT 3.1 / 3.1.1 instance. */
	public static final PacketEncoder INSTANCE = new PacketEncoder();

	/** The shared MQTT 5 instance. */
	public static final PacketEncoder MQTT_5 = new PacketEncoder(true);

	private final boolean mqtt5;

	/** An MQTT 3.1 / 3.1.1 encoder; {@link #INSTANCE} is one. */
	public PacketEncoder() {
		this(false);
	}

	private PacketEncoder(boolean mqtt5) {
		this.mqtt5 = mqtt5;
	}

	/** Whether this encoder writes MQTT 5. */
	public boolean mqtt5() {
		return this.mqtt5;
	}

	/**
	 * Encodes one packet into buffers of its own.
	 * @param packet the packet
	 * @param allocator where buffers come from
	 * @param out receives one buffer, or two for a PUBLISH with a direct payload
	 */
	public void encode(Packet packet, ByteBufAllocator allocator, List<Object> out) {
		if (this.mqtt5) {
			Mqtt5Encoding.encode(packet, allocator, out);
		}
		else if (packet instanceof Publish p) {
			encodePublish(p, allocator, out);
		}
		else {
			out.add(encodeOther(packet, allocator, null));
		}
	}

	/**
	 * Appends one whole packet to {@code target}, growing it when needed: many packets
	 * can share one buffer and go out in one write. The payload of a PUBLISH is copied
	 * into it, and released whether encoding succeeds or fails. Nothing is allocated on
	 * the heap for a PUBLISH whose topic was encoded before.
	 * @param packet the packet
	 * @param target the buffer written to
	 */
	public void encode(Packet packet, ByteBuf target) {
		if (this.mqtt5) {
			Mqtt5Encoding.encode(packet, target);
		}
		else if (packet instanceof Publish p) {
			ByteBuf payload = p.payload();
			try {
				int payloadLength = payload.readableBytes();
				byte[] cached = TopicCache.encoded(p.topic());
				int topicLength = (cached != null) ? cached.length : utf8Length(p.topic(), "topic name");
				int remaining = publishVariableHeader(p, topicLength) + payloadLength;
				checkRemaining(remaining);
				target.ensureWritable(1 + WireFormat.remainingLengthSize(remaining) + remaining);
				writePublishHeader(p, cached, topicLength, remaining, target);
				writePayload(payload, payloadLength, target);
			}
			finally {
				payload.release();
			}
		}
		else {
			encodeOther(packet, null, target);
		}
	}

	/**
	 * Encodes any packet but PUBLISH into {@code target}, or into a buffer of its exact
	 * size from {@code allocator} when {@code target} is {@code null}; returns the buffer
	 * written to.
	 */
	private static ByteBuf encodeOther(Packet packet, ByteBufAllocator allocator, ByteBuf target) {
		// Java 17 has no pattern switch; the chain is ordered by how often each packet is
		// sent.
		if (packet instanceof PubAck a) {
			return idOnly(allocator, target, 0x40, a.packetId());
		}
		if (packet instanceof PubRec r) {
			return idOnly(allocator, target, 0x50, r.packetId());
		}
		if (packet instanceof PubRel r) {
			return idOnly(allocator, target, PUBREL, r.packetId());
		}
		if (packet instanceof PubComp c) {
			return idOnly(allocator, target, 0x70, c.packetId());
		}
		if (packet instanceof PingReq) {
			return empty(allocator, target, 0xC0);
		}
		if (packet instanceof PingResp) {
			return empty(allocator, target, 0xD0);
		}
		if (packet instanceof Disconnect) {
			return empty(allocator, target, 0xE0);
		}
		if (packet instanceof Connect c) {
			return (c.protocolLevel() == Connect.MQTT_5) ? Mqtt5Encoding.connect(c, allocator, target)
					: encodeConnect(c, allocator, target);
		}
		if (packet instanceof ConnAck c) {
			return frame(allocator, target, 4).writeByte(0x20)
				.writeByte(2)
				.writeByte(c.sessionPresent() ? 1 : 0)
				.writeByte(c.returnCode());
		}
		if (packet instanceof Subscribe s) {
			return encodeSubscribe(s, allocator, target);
		}
		if (packet instanceof SubAck s) {
			return encodeSubAck(s, allocator, target);
		}
		if (packet instanceof Unsubscribe u) {
			return encodeUnsubscribe(u, allocator, target);
		}
		if (packet instanceof UnsubAck u) {
			return idOnly(allocator, target, 0xB0, u.packetId());
		}
		if (packet instanceof Auth) {
			throw new IllegalArgumentException("AUTH is an MQTT 5 packet; use PacketEncoder.MQTT_5");
		}
		throw new IllegalArgumentException("Unknown packet " + packet);
	}

	/**
	 * {@code target} made room for {@code size} more bytes, or a new buffer of exactly
	 * that size.
	 */
	static ByteBuf frame(ByteBufAllocator allocator, ByteBuf target, int size) {
		if (target != null) {
			return target.ensureWritable(size);
		}
		return allocator.buffer(size, size);
	}

	private static ByteBuf idOnly(ByteBufAllocator allocator, ByteBuf target, int header, int packetId) {
		return frame(allocator, target, 4).writeShort((header << 8) | 2).writeShort(packetId);
	}

	private static ByteBuf empty(ByteBufAllocator allocator, ByteBuf target, int header) {
		return frame(allocator, target, 2).writeShort(header << 8);
	}

	private static void encodePublish(Publish publish, ByteBufAllocator allocator, List<Object> out) {
		ByteBuf payload = publish.payload();
		int payloadLength = payload.readableBytes();
		// A heap payload is copied to direct memory before any socket write anyway:
		// writing it
		// into the frame is that same single copy, with one buffer instead of two. A
		// direct
		// payload is passed on untouched.
		boolean inline = !payload.isDirect();
		byte[] cached;
		int topicLength;
		int remaining;
		try {
			cached = TopicCache.encoded(publish.topic());
			topicLength = (cached != null) ? cached.length : utf8Length(publish.topic(), "topic name");
			remaining = publishVariableHeader(publish, topicLength) + payloadLength;
			checkRemaining(remaining);
		}
		catch (RuntimeException ex) {
			// the payload was handed over: a packet that cannot be encoded still releases
			// it
			payload.release();
			throw ex;
		}
		int headerSize = 1 + WireFormat.remainingLengthSize(remaining) + remaining - payloadLength;
		int size = inline ? headerSize + payloadLength : headerSize;
		ByteBuf frame = allocator.buffer(size, size);
		writePublishHeader(publish, cached, topicLength, remaining, frame);
		if (inline) {
			writePayload(payload, payloadLength, frame);
			payload.release();
			out.add(frame);
			return;
		}
		out.add(frame);
		if (payload.isReadable()) {
			// a view taking over the reference: writing it moves its reader index, not
			// the payload's
			out.add(payload.duplicate());
		}
		else {
			payload.release();
		}
	}

	/**
	 * Writes a PUBLISH's fixed header, topic and packet id into {@code out}, which has
	 * room.
	 * @param cached the topic's bytes from the cache, or {@code null} to encode it here
	 */
	private static void writePublishHeader(Publish publish, byte[] cached, int topicLength, int remaining,
			ByteBuf out) {
		writePublishHeader(publish.topic(), publish.qos(), publish.retain(), publish.dup(), publish.packetId(), cached,
				topicLength, remaining, out);
	}

	static void writePublishHeader(String topic, int qos, boolean retain, boolean dup, int packetId, byte[] cached,
			int topicLength, int remaining, ByteBuf out) {
		out.writeByte(0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0));
		WireFormat.writeRemainingLength(out, remaining);
		if (cached != null) {
			out.writeShort(topicLength);
			out.writeBytes(cached);
		}
		else {
			WireFormat.writeString(out, topic, topicLength);
		}
		if (qos > 0) {
			out.writeShort(packetId);
		}
	}

	/**
	 * Appends a whole PUBLISH whose payload is an array to {@code target}, growing it
	 * when needed: the fields of a message that is not a {@link Publish} record, so that
	 * nothing is allocated for it (a topic encoded before comes from the cache).
	 * @param topic a valid topic name
	 * @param qos 0, 1 or 2
	 * @param retain the RETAIN flag
	 * @param dup the DUP flag
	 * @param packetId the packet identifier (QoS 1 and 2)
	 * @param payload the payload, copied
	 * @param target the buffer written to
	 * @throws IllegalArgumentException when the topic is not UTF-8 or the packet is too
	 * large
	 */
	public void encodePublish(String topic, int qos, boolean retain, boolean dup, int packetId, byte[] payload,
			ByteBuf target) {
		if (this.mqtt5) {
			Mqtt5Encoding.encodePublish(topic, 0, qos, retain, dup, packetId, PacketProperties.NONE, payload, target);
			return;
		}
		byte[] cached = TopicCache.encoded(topic);
		int topicLength = (cached != null) ? cached.length : utf8Length(topic, "topic name");
		int remaining = 2 + topicLength + ((qos > 0) ? 2 : 0) + payload.length;
		checkRemaining(remaining);
		target.ensureWritable(1 + WireFormat.remainingLengthSize(remaining) + remaining);
		writePublishHeader(topic, qos, retain, dup, packetId, cached, topicLength, remaining, target);
		target.writeBytes(payload);
	}

	/**
	 * Appends an MQTT 5 PUBLISH with properties whose payload is an array to
	 * {@code target}, as
	 * {@link #encodePublish(String, int, boolean, boolean, int, byte[], ByteBuf)} does.
	 * @param topic a valid topic name, or empty with a Topic Alias
	 * @param qos 0, 1 or 2
	 * @param retain the RETAIN flag
	 * @param dup the DUP flag
	 * @param packetId the packet identifier (QoS 1 and 2)
	 * @param properties the PUBLISH properties
	 * @param payload the payload, copied
	 * @param target the buffer written to
	 * @throws IllegalArgumentException when this encoder writes 3.1.1 and there are
	 * properties, or the packet cannot be encoded
	 */
	public void encodePublish(String topic, int qos, boolean retain, boolean dup, int packetId,
			PacketProperties properties, byte[] payload, ByteBuf target) {
		if (this.mqtt5) {
			Mqtt5Encoding.encodePublish(topic, 0, qos, retain, dup, packetId, properties, payload, target);
			return;
		}
		requireNoProperties(properties);
		encodePublish(topic, qos, retain, dup, packetId, payload, target);
	}

	/**
	 * The header of an MQTT 5 PUBLISH with properties, as
	 * {@link #publishHeader(String, int, boolean, boolean, int, int, ByteBufAllocator)}
	 * gives it.
	 * @param topic a valid topic name, or empty with a Topic Alias
	 * @param qos 0, 1 or 2
	 * @param retain the RETAIN flag
	 * @param dup the DUP flag
	 * @param packetId the packet identifier (QoS 1 and 2)
	 * @param properties the PUBLISH properties
	 * @param payloadLength the length of the payload that follows
	 * @param allocator where the buffer comes from
	 * @return the header, owned by the caller
	 */
	public ByteBuf publishHeader(String topic, int qos, boolean retain, boolean dup, int packetId,
			PacketProperties properties, int payloadLength, ByteBufAllocator allocator) {
		if (this.mqtt5) {
			return Mqtt5Encoding.publishHeader(topic, 0, qos, retain, dup, packetId, properties, payloadLength,
					allocator);
		}
		requireNoProperties(properties);
		return publishHeader(topic, qos, retain, dup, packetId, payloadLength, allocator);
	}

	private static void requireNoProperties(PacketProperties properties) {
		if (!properties.isEmpty()) {
			throw new IllegalArgumentException("Properties need MQTT 5; this encoder writes MQTT 3.1.1");
		}
	}

	/**
	 * Appends a PUBREL to {@code target}, as {@code encode(new PubRel(packetId), target)}
	 * does without the record.
	 * @param packetId the packet identifier
	 * @param target the buffer written to
	 */
	public void encodePubRel(int packetId, ByteBuf target) {
		idOnly(null, target, PUBREL, packetId);
	}

	/**
	 * The header of a PUBLISH (fixed header, topic, packet id) in a buffer of its exact
	 * size, for a payload of {@code payloadLength} bytes written after it as a buffer of
	 * its own.
	 * @param topic a valid topic name
	 * @param qos 0, 1 or 2
	 * @param retain the RETAIN flag
	 * @param dup the DUP flag
	 * @param packetId the packet identifier (QoS 1 and 2)
	 * @param payloadLength the length of the payload that follows
	 * @param allocator where the buffer comes from
	 * @return the header, owned by the caller
	 * @throws IllegalArgumentException when the topic is not UTF-8 or the packet is too
	 * large
	 */
	public ByteBuf publishHeader(String topic, int qos, boolean retain, boolean dup, int packetId, int payloadLength,
			ByteBufAllocator allocator) {
		if (this.mqtt5) {
			return Mqtt5Encoding.publishHeader(topic, 0, qos, retain, dup, packetId, PacketProperties.NONE,
					payloadLength, allocator);
		}
		byte[] cached = TopicCache.encoded(topic);
		int topicLength = (cached != null) ? cached.length : utf8Length(topic, "topic name");
		int remaining = 2 + topicLength + ((qos > 0) ? 2 : 0) + payloadLength;
		checkRemaining(remaining);
		int size = 1 + WireFormat.remainingLengthSize(remaining) + remaining - payloadLength;
		ByteBuf header = allocator.buffer(size, size);
		writePublishHeader(topic, qos, retain, dup, packetId, cached, topicLength, remaining, header);
		return header;
	}

	/**
	 * Copies a payload without moving its reader index; a heap one straight from its
	 * array.
	 */
	static void writePayload(ByteBuf payload, int length, ByteBuf out) {
		if (payload.hasArray()) {
			out.writeBytes(payload.array(), payload.arrayOffset() + payload.readerIndex(), length);
		}
		else {
			out.writeBytes(payload, payload.readerIndex(), length);
		}
	}

	private static int publishVariableHeader(Publish publish, int topicLength) {
		return 2 + topicLength + ((publish.qos() > 0) ? 2 : 0);
	}

	/**
	 * Checks that a CONNECT can be encoded: every string well-formed UTF-8 of at most
	 * 65,535 bytes, the will message and the password at most 65,535 bytes; at level 5
	 * the properties too.
	 * @param connect the packet
	 * @return its remaining length
	 * @throws IllegalArgumentException naming the field and the rule
	 */
	public static int checkConnect(Connect connect) {
		if (connect.protocolLevel() == Connect.MQTT_5) {
			return Mqtt5Encoding.connectRemaining(connect);
		}
		int remaining = 2 + connect.protocolName().length() + 1 + 1 + 2 + 2
				+ utf8Length(connect.clientId(), "client identifier");
		Will will = connect.will();
		if (will != null) {
			remaining += 2 + utf8Length(will.topic(), "will topic") + 2
					+ checkBinary(will.payload().length, "will message");
		}
		if (connect.username() != null) {
			remaining += 2 + utf8Length(connect.username(), "user name");
		}
		if (connect.password() != null) {
			remaining += 2 + checkBinary(connect.password().length, "password");
		}
		return remaining;
	}

	private static ByteBuf encodeConnect(Connect connect, ByteBufAllocator allocator, ByteBuf target) {
		String protocolName = connect.protocolName();
		int remaining = checkConnect(connect);
		int clientIdLength = Utf8.encodedLength(connect.clientId());
		Will will = connect.will();
		int willTopicLength = (will != null) ? Utf8.encodedLength(will.topic()) : 0;
		int usernameLength = (connect.username() != null) ? Utf8.encodedLength(connect.username()) : 0;
		int size = 1 + WireFormat.remainingLengthSize(remaining) + remaining;
		ByteBuf out = frame(allocator, target, size);
		out.writeByte(0x10);
		WireFormat.writeRemainingLength(out, remaining);
		WireFormat.writeString(out, protocolName, protocolName.length());
		out.writeByte(connect.protocolLevel());
		int flags = 0;
		if (connect.cleanSession()) {
			flags |= 0x02;
		}
		if (will != null) {
			flags |= 0x04 | (will.qos() << 3) | (will.retain() ? 0x20 : 0);
		}
		if (connect.password() != null) {
			flags |= 0x40;
		}
		if (connect.username() != null) {
			flags |= 0x80;
		}
		out.writeByte(flags);
		out.writeShort(connect.keepAliveSeconds());
		// A zero-length client id is still a length prefix: 00 00 [MQTT-3.1.3-6]
		WireFormat.writeString(out, connect.clientId(), clientIdLength);
		if (will != null) {
			WireFormat.writeString(out, will.topic(), willTopicLength);
			WireFormat.writeBinary(out, will.payload());
		}
		if (connect.username() != null) {
			WireFormat.writeString(out, connect.username(), usernameLength);
		}
		if (connect.password() != null) {
			WireFormat.writeBinary(out, connect.password());
		}
		return out;
	}

	private static ByteBuf encodeSubscribe(Subscribe subscribe, ByteBufAllocator allocator, ByteBuf target) {
		List<Subscription> subscriptions = subscribe.subscriptions();
		int[] lengths = new int[subscriptions.size()];
		int remaining = 2;
		for (int i = 0; i < lengths.length; i++) {
			lengths[i] = utf8Length(subscriptions.get(i).filter(), "topic filter");
			remaining += 2 + lengths[i] + 1;
		}
		checkRemaining(remaining);
		int size = 1 + WireFormat.remainingLengthSize(remaining) + remaining;
		ByteBuf out = frame(allocator, target, size);
		// SUBSCRIBE flags must be 0010 [MQTT-3.8.1-1]
		out.writeByte(0x82);
		WireFormat.writeRemainingLength(out, remaining);
		out.writeShort(subscribe.packetId());
		for (int i = 0; i < lengths.length; i++) {
			WireFormat.writeString(out, subscriptions.get(i).filter(), lengths[i]);
			out.writeByte(subscriptions.get(i).qos());
		}
		return out;
	}

	private static ByteBuf encodeSubAck(SubAck subAck, ByteBufAllocator allocator, ByteBuf target) {
		int remaining = 2 + subAck.returnCodes().size();
		checkRemaining(remaining);
		int size = 1 + WireFormat.remainingLengthSize(remaining) + remaining;
		ByteBuf out = frame(allocator, target, size);
		out.writeByte(0x90);
		WireFormat.writeRemainingLength(out, remaining);
		out.writeShort(subAck.packetId());
		for (int code : subAck.returnCodes()) {
			out.writeByte(code);
		}
		return out;
	}

	private static ByteBuf encodeUnsubscribe(Unsubscribe unsubscribe, ByteBufAllocator allocator, ByteBuf target) {
		List<String> filters = unsubscribe.filters();
		int[] lengths = new int[filters.size()];
		int remaining = 2;
		for (int i = 0; i < lengths.length; i++) {
			lengths[i] = utf8Length(filters.get(i), "topic filter");
			remaining += 2 + lengths[i];
		}
		checkRemaining(remaining);
		int size = 1 + WireFormat.remainingLengthSize(remaining) + remaining;
		ByteBuf out = frame(allocator, target, size);
		// UNSUBSCRIBE flags must be 0010 [MQTT-3.10.1-1]
		out.writeByte(0xA2);
		WireFormat.writeRemainingLength(out, remaining);
		out.writeShort(unsubscribe.packetId());
		for (int i = 0; i < lengths.length; i++) {
			WireFormat.writeString(out, filters.get(i), lengths[i]);
		}
		return out;
	}

	static int utf8Length(String value, String what) {
		int length = Utf8.encodedLength(value);
		if (length < 0) {
			throw new IllegalArgumentException(what + " is not well-formed UTF-8 [MQTT-1.5.3-1]");
		}
		if (length > 65_535) {
			throw new IllegalArgumentException(what + " is " + length + " UTF-8 bytes, more than 65535");
		}
		return length;
	}

	private static int checkBinary(int length, String what) {
		if (length > 65_535) {
			throw new IllegalArgumentException(what + " is " + length + " bytes, more than 65535");
		}
		return length;
	}

	static void checkRemaining(int remaining) {
		if (remaining > WireFormat.MAX_REMAINING_LENGTH) {
			throw new IllegalArgumentException("Packet of " + remaining + " bytes exceeds the MQTT maximum of "
					+ WireFormat.MAX_REMAINING_LENGTH + " [MQTT-2.2.3]");
		}
	}

}
