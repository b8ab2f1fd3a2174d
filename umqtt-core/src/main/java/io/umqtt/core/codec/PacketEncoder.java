package io.umqtt.core.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.Disconnect;
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
 * Encodes packets into buffers of exactly the size they need, computed before anything is
 * written. A PUBLISH with a direct payload becomes two buffers: its header (fixed header, topic,
 * packet id) and the payload, passed on as it is, never copied. A heap payload (a wrapped
 * {@code byte[]}) is written into the frame instead: the socket needs direct memory, so that copy
 * would happen anyway, and one buffer is cheaper to write than two.
 * <p>
 * Stateless and thread-safe. Buffer ownership: every buffer added to {@code out} belongs to
 * the caller (Netty releases it once written); the payload of an encoded PUBLISH is handed
 * over, so a caller that needs it again passes {@code payload().retainedDuplicate()}.
 */
public final class PacketEncoder {

	/** The shared instance. */
	public static final PacketEncoder INSTANCE = new PacketEncoder();

	/**
	 * Encodes one packet.
	 * @param packet the packet
	 * @param allocator where buffers come from
	 * @param out receives one buffer, or two for a PUBLISH with a payload
	 */
	public void encode(io.umqtt.core.packet.Packet packet, ByteBufAllocator allocator, List<Object> out) {
		// Java 17 has no pattern switch; the chain is ordered by how often each packet is sent.
		if (packet instanceof Publish p) {
			encodePublish(p, allocator, out);
		}
		else if (packet instanceof PubAck a) {
			out.add(idOnly(allocator, 0x40, a.packetId()));
		}
		else if (packet instanceof PubRec r) {
			out.add(idOnly(allocator, 0x50, r.packetId()));
		}
		else if (packet instanceof PubRel r) {
			// PUBREL flags must be 0010 [MQTT-3.6.1-1]
			out.add(idOnly(allocator, 0x62, r.packetId()));
		}
		else if (packet instanceof PubComp c) {
			out.add(idOnly(allocator, 0x70, c.packetId()));
		}
		else if (packet instanceof PingReq) {
			out.add(empty(allocator, 0xC0));
		}
		else if (packet instanceof PingResp) {
			out.add(empty(allocator, 0xD0));
		}
		else if (packet instanceof Disconnect) {
			out.add(empty(allocator, 0xE0));
		}
		else if (packet instanceof Connect c) {
			out.add(encodeConnect(c, allocator));
		}
		else if (packet instanceof ConnAck c) {
			out.add(allocator.buffer(4, 4)
				.writeByte(0x20)
				.writeByte(2)
				.writeByte(c.sessionPresent() ? 1 : 0)
				.writeByte(c.returnCode()));
		}
		else if (packet instanceof Subscribe s) {
			out.add(encodeSubscribe(s, allocator));
		}
		else if (packet instanceof SubAck s) {
			out.add(encodeSubAck(s, allocator));
		}
		else if (packet instanceof Unsubscribe u) {
			out.add(encodeUnsubscribe(u, allocator));
		}
		else if (packet instanceof UnsubAck u) {
			out.add(idOnly(allocator, 0xB0, u.packetId()));
		}
		else {
			throw new IllegalArgumentException("Unknown packet " + packet);
		}
	}

	private static ByteBuf idOnly(ByteBufAllocator allocator, int header, int packetId) {
		return allocator.buffer(4, 4).writeByte(header).writeByte(2).writeShort(packetId);
	}

	private static ByteBuf empty(ByteBufAllocator allocator, int header) {
		return allocator.buffer(2, 2).writeByte(header).writeByte(0);
	}

	private static void encodePublish(Publish publish, ByteBufAllocator allocator, List<Object> out) {
		int topicLength = utf8Length(publish.topic(), "topic name");
		int variableHeader = 2 + topicLength + ((publish.qos() > 0) ? 2 : 0);
		ByteBuf payload = publish.payload();
		int payloadLength = payload.readableBytes();
		int remaining = variableHeader + payloadLength;
		checkRemaining(remaining);
		int headerSize = 1 + WireFormat.remainingLengthSize(remaining) + variableHeader;
		// A heap payload is copied to direct memory before any socket write anyway: writing it
		// into the frame is that same single copy, with one buffer instead of two. A direct
		// payload is passed on untouched.
		boolean inline = !payload.isDirect();
		int size = inline ? headerSize + payloadLength : headerSize;
		ByteBuf frame = allocator.buffer(size, size);
		frame.writeByte(0x30 | (publish.dup() ? 0x08 : 0) | (publish.qos() << 1) | (publish.retain() ? 1 : 0));
		WireFormat.writeRemainingLength(frame, remaining);
		WireFormat.writeString(frame, publish.topic(), topicLength);
		if (publish.qos() > 0) {
			frame.writeShort(publish.packetId());
		}
		if (inline) {
			frame.writeBytes(payload, payload.readerIndex(), payloadLength);
			payload.release();
			out.add(frame);
			return;
		}
		out.add(frame);
		if (payload.isReadable()) {
			out.add(payload);
		}
		else {
			payload.release();
		}
	}

	private static ByteBuf encodeConnect(Connect connect, ByteBufAllocator allocator) {
		String protocolName = connect.protocolName();
		int clientIdLength = utf8Length(connect.clientId(), "client identifier");
		int remaining = 2 + protocolName.length() + 1 + 1 + 2 + 2 + clientIdLength;
		Will will = connect.will();
		int willTopicLength = 0;
		if (will != null) {
			willTopicLength = utf8Length(will.topic(), "will topic");
			remaining += 2 + willTopicLength + 2 + checkBinary(will.payload().length, "will message");
		}
		int usernameLength = 0;
		if (connect.username() != null) {
			usernameLength = utf8Length(connect.username(), "user name");
			remaining += 2 + usernameLength;
		}
		if (connect.password() != null) {
			remaining += 2 + checkBinary(connect.password().length, "password");
		}
		int size = 1 + WireFormat.remainingLengthSize(remaining) + remaining;
		ByteBuf out = allocator.buffer(size, size);
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

	private static ByteBuf encodeSubscribe(Subscribe subscribe, ByteBufAllocator allocator) {
		List<Subscription> subscriptions = subscribe.subscriptions();
		int[] lengths = new int[subscriptions.size()];
		int remaining = 2;
		for (int i = 0; i < lengths.length; i++) {
			lengths[i] = utf8Length(subscriptions.get(i).filter(), "topic filter");
			remaining += 2 + lengths[i] + 1;
		}
		checkRemaining(remaining);
		int size = 1 + WireFormat.remainingLengthSize(remaining) + remaining;
		ByteBuf out = allocator.buffer(size, size);
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

	private static ByteBuf encodeSubAck(SubAck subAck, ByteBufAllocator allocator) {
		int remaining = 2 + subAck.returnCodes().size();
		checkRemaining(remaining);
		int size = 1 + WireFormat.remainingLengthSize(remaining) + remaining;
		ByteBuf out = allocator.buffer(size, size);
		out.writeByte(0x90);
		WireFormat.writeRemainingLength(out, remaining);
		out.writeShort(subAck.packetId());
		for (int code : subAck.returnCodes()) {
			out.writeByte(code);
		}
		return out;
	}

	private static ByteBuf encodeUnsubscribe(Unsubscribe unsubscribe, ByteBufAllocator allocator) {
		List<String> filters = unsubscribe.filters();
		int[] lengths = new int[filters.size()];
		int remaining = 2;
		for (int i = 0; i < lengths.length; i++) {
			lengths[i] = utf8Length(filters.get(i), "topic filter");
			remaining += 2 + lengths[i];
		}
		checkRemaining(remaining);
		int size = 1 + WireFormat.remainingLengthSize(remaining) + remaining;
		ByteBuf out = allocator.buffer(size, size);
		// UNSUBSCRIBE flags must be 0010 [MQTT-3.10.1-1]
		out.writeByte(0xA2);
		WireFormat.writeRemainingLength(out, remaining);
		out.writeShort(unsubscribe.packetId());
		for (int i = 0; i < lengths.length; i++) {
			WireFormat.writeString(out, filters.get(i), lengths[i]);
		}
		return out;
	}

	private static int utf8Length(String value, String what) {
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

	private static void checkRemaining(int remaining) {
		if (remaining > WireFormat.MAX_REMAINING_LENGTH) {
			throw new IllegalArgumentException("Packet of " + remaining + " bytes exceeds the MQTT maximum of "
					+ WireFormat.MAX_REMAINING_LENGTH + " [MQTT-2.2.3]");
		}
	}

}
