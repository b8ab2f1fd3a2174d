package io.umqtt.core.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.umqtt.core.ReasonCode;
import io.umqtt.core.SubscribeOptions;
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
import io.umqtt.core.topic.TopicFilter;
import io.umqtt.core.topic.Utf8;

/**
 * The MQTT 5 packets, for {@link PacketEncoder#MQTT_5}: as 3.1.1 does, each packet's size
 * is computed first, properties included, and written into one buffer of exactly that
 * size (or appended to the caller's); the payload of a PUBLISH is never copied when it is
 * direct. A reason code of Success without properties is left out where the specification
 * allows it, so such acknowledgements are the 3.1.1 bytes. Stateless.
 */
final class Mqtt5Encoding {

	private Mqtt5Encoding() {
	}

	static void encode(Packet packet, ByteBufAllocator allocator, List<Object> out) {
		if (packet instanceof Publish p) {
			publish(p, allocator, out);
		}
		else {
			out.add(other(packet, allocator, null));
		}
	}

	static void encode(Packet packet, ByteBuf target) {
		if (packet instanceof Publish p) {
			ByteBuf payload = p.payload();
			try {
				int payloadLength = payload.readableBytes();
				byte[] cached = TopicCache.encoded(p.topic());
				int topicLength = (cached != null) ? cached.length : PacketEncoder.utf8Length(p.topic(), "topic name");
				int propertiesSize = publishPropertiesSize(p.topic(), p.properties());
				int remaining = variableHeader(topicLength, p.qos(), propertiesSize) + payloadLength;
				PacketEncoder.checkRemaining(remaining);
				target.ensureWritable(1 + WireFormat.remainingLengthSize(remaining) + remaining);
				writePublishHeader(p.topic(), p.qos(), p.retain(), p.dup(), p.packetId(), p.properties(),
						propertiesSize, cached, topicLength, remaining, target);
				PacketEncoder.writePayload(payload, payloadLength, target);
			}
			finally {
				payload.release();
			}
		}
		else {
			other(packet, null, target);
		}
	}

	private static int variableHeader(int topicLength, int qos, int propertiesSize) {
		return 2 + topicLength + ((qos > 0) ? 2 : 0) + PropertyCodec.encodedSize(propertiesSize);
	}

	/**
	 * The size of a PUBLISH's properties; an empty topic needs a Topic Alias
	 * [MQTT-3.3.2.3.4].
	 */
	static int publishPropertiesSize(String topic, PacketProperties properties) {
		if (topic.isEmpty() && properties.topicAlias() == PacketProperties.ABSENT) {
			throw new IllegalArgumentException("An empty topic name needs a Topic Alias [MQTT-3.3.2.3.4]");
		}
		return PropertyCodec.size(properties, 3);
	}

	private static void publish(Publish publish, ByteBufAllocator allocator, List<Object> out) {
		ByteBuf payload = publish.payload();
		int payloadLength = payload.readableBytes();
		boolean inline = !payload.isDirect();
		byte[] cached;
		int topicLength;
		int propertiesSize;
		int remaining;
		try {
			cached = TopicCache.encoded(publish.topic());
			topicLength = (cached != null) ? cached.length : PacketEncoder.utf8Length(publish.topic(), "topic name");
			propertiesSize = publishPropertiesSize(publish.topic(), publish.properties());
			remaining = variableHeader(topicLength, publish.qos(), propertiesSize) + payloadLength;
			PacketEncoder.checkRemaining(remaining);
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
		writePublishHeader(publish.topic(), publish.qos(), publish.retain(), publish.dup(), publish.packetId(),
				publish.properties(), propertiesSize, cached, topicLength, remaining, frame);
		if (inline) {
			PacketEncoder.writePayload(payload, payloadLength, frame);
			payload.release();
			out.add(frame);
			return;
		}
		out.add(frame);
		if (payload.isReadable()) {
			out.add(payload.duplicate());
		}
		else {
			payload.release();
		}
	}

	static void writePublishHeader(String topic, int qos, boolean retain, boolean dup, int packetId,
			PacketProperties properties, int propertiesSize, byte[] cached, int topicLength, int remaining,
			ByteBuf out) {
		PacketEncoder.writePublishHeader(topic, qos, retain, dup, packetId, cached, topicLength, remaining, out);
		PropertyCodec.write(out, properties, propertiesSize);
	}

	/**
	 * Appends a PUBLISH of an array payload, as {@link PacketEncoder#encodePublish} does
	 * on 3.1.1.
	 * @param alias 0 for none; a Topic Alias sent with the topic as its negation, one
	 * that stands for the topic (sent empty) as it is
	 */
	static void encodePublish(String topic, int alias, int qos, boolean retain, boolean dup, int packetId,
			PacketProperties properties, byte[] payload, ByteBuf target) {
		String wire = (alias > 0) ? "" : topic;
		byte[] cached = (alias > 0) ? null : TopicCache.encoded(topic);
		int topicLength = (cached != null) ? cached.length : PacketEncoder.utf8Length(wire, "topic name");
		int propertiesSize = publishPropertiesSize(wire, alias, properties);
		int remaining = variableHeader(topicLength, qos, propertiesSize) + payload.length;
		PacketEncoder.checkRemaining(remaining);
		target.ensureWritable(1 + WireFormat.remainingLengthSize(remaining) + remaining);
		writePublishHeader(wire, alias, qos, retain, dup, packetId, properties, propertiesSize, cached, topicLength,
				remaining, target);
		target.writeBytes(payload);
	}

	/**
	 * The header of a PUBLISH in a buffer of its exact size, as
	 * {@link PacketEncoder#publishHeader} on 3.1.1.
	 * @param alias as for
	 * {@link #encodePublish(String, int, int, boolean, boolean, int, PacketProperties, byte[], ByteBuf)}
	 */
	static ByteBuf publishHeader(String topic, int alias, int qos, boolean retain, boolean dup, int packetId,
			PacketProperties properties, int payloadLength, ByteBufAllocator allocator) {
		String wire = (alias > 0) ? "" : topic;
		byte[] cached = (alias > 0) ? null : TopicCache.encoded(topic);
		int topicLength = (cached != null) ? cached.length : PacketEncoder.utf8Length(wire, "topic name");
		int propertiesSize = publishPropertiesSize(wire, alias, properties);
		int remaining = variableHeader(topicLength, qos, propertiesSize) + payloadLength;
		PacketEncoder.checkRemaining(remaining);
		int size = 1 + WireFormat.remainingLengthSize(remaining) + remaining - payloadLength;
		ByteBuf header = allocator.buffer(size, size);
		writePublishHeader(wire, alias, qos, retain, dup, packetId, properties, propertiesSize, cached, topicLength,
				remaining, header);
		return header;
	}

	/** The properties' size with the Topic Alias the encoder adds, if any. */
	private static int publishPropertiesSize(String wire, int alias, PacketProperties properties) {
		if (alias == 0) {
			return publishPropertiesSize(wire, properties);
		}
		if (properties.topicAlias() != PacketProperties.ABSENT) {
			throw new IllegalArgumentException("The PUBLISH carries a Topic Alias already");
		}
		// identifier and two bytes
		return PropertyCodec.size(properties, 3) + 3;
	}

	private static void writePublishHeader(String wire, int alias, int qos, boolean retain, boolean dup, int packetId,
			PacketProperties properties, int propertiesSize, byte[] cached, int topicLength, int remaining,
			ByteBuf out) {
		if (alias == 0) {
			writePublishHeader(wire, qos, retain, dup, packetId, properties, propertiesSize, cached, topicLength,
					remaining, out);
			return;
		}
		PacketEncoder.writePublishHeader(wire, qos, retain, dup, packetId, cached, topicLength, remaining, out);
		WireFormat.writeVariableByteInteger(out, propertiesSize);
		out.writeByte(PacketProperties.TOPIC_ALIAS).writeShort(Math.abs(alias));
		PropertyCodec.writeBody(out, properties, propertiesSize - 3);
	}

	private static ByteBuf other(Packet packet, ByteBufAllocator allocator, ByteBuf target) {
		if (packet instanceof PubAck a) {
			return acknowledgement(allocator, target, 0x40, 4, a.packetId(), a.reasonCode(), a.properties());
		}
		if (packet instanceof PubRec r) {
			return acknowledgement(allocator, target, 0x50, 5, r.packetId(), r.reasonCode(), r.properties());
		}
		if (packet instanceof PubRel r) {
			// PUBREL flags must be 0010 [MQTT-3.6.1-1]
			return acknowledgement(allocator, target, 0x62, 6, r.packetId(), r.reasonCode(), r.properties());
		}
		if (packet instanceof PubComp c) {
			return acknowledgement(allocator, target, 0x70, 7, c.packetId(), c.reasonCode(), c.properties());
		}
		if (packet instanceof PingReq) {
			return PacketEncoder.frame(allocator, target, 2).writeShort(0xC000);
		}
		if (packet instanceof PingResp) {
			return PacketEncoder.frame(allocator, target, 2).writeShort(0xD000);
		}
		if (packet instanceof Disconnect d) {
			return reasonAndProperties(allocator, target, 0xE0, 14, d.reasonCode(), d.properties());
		}
		if (packet instanceof Auth a) {
			if (a.properties().authenticationMethod() == null
					&& (a.reasonCode() != ReasonCode.SUCCESS || !a.properties().isEmpty())) {
				throw new IllegalArgumentException("AUTH needs an Authentication Method [MQTT-3.15.2.2.2]");
			}
			return reasonAndProperties(allocator, target, 0xF0, 15, a.reasonCode(), a.properties());
		}
		if (packet instanceof Connect c) {
			return connect(c, allocator, target);
		}
		if (packet instanceof ConnAck c) {
			return connAck(c, allocator, target);
		}
		if (packet instanceof Subscribe s) {
			return subscribe(s, allocator, target);
		}
		if (packet instanceof SubAck s) {
			return codes(allocator, target, 0x90, 9, s.packetId(), s.returnCodes(), s.properties());
		}
		if (packet instanceof Unsubscribe u) {
			return unsubscribe(u, allocator, target);
		}
		if (packet instanceof UnsubAck u) {
			return codes(allocator, target, 0xB0, 11, u.packetId(), u.reasonCodes(), u.properties());
		}
		throw new IllegalArgumentException("Unknown packet " + packet);
	}

	/**
	 * PUBACK, PUBREC, PUBREL, PUBCOMP: the packet id alone for Success without
	 * properties; the reason code without a property length when there are no properties
	 * [MQTT-3.4.2.2.1].
	 */
	private static ByteBuf acknowledgement(ByteBufAllocator allocator, ByteBuf target, int header, int type,
			int packetId, int code, PacketProperties properties) {
		if (properties == PacketProperties.NONE) {
			if (code == ReasonCode.SUCCESS) {
				return PacketEncoder.frame(allocator, target, 4).writeShort((header << 8) | 2).writeShort(packetId);
			}
			return PacketEncoder.frame(allocator, target, 5)
				.writeShort((header << 8) | 3)
				.writeShort(packetId)
				.writeByte(code);
		}
		int propertiesSize = PropertyCodec.size(properties, type);
		int remaining = 3 + PropertyCodec.encodedSize(propertiesSize);
		PacketEncoder.checkRemaining(remaining);
		ByteBuf out = PacketEncoder.frame(allocator, target, 1 + WireFormat.remainingLengthSize(remaining) + remaining);
		out.writeByte(header);
		WireFormat.writeRemainingLength(out, remaining);
		out.writeShort(packetId).writeByte(code);
		PropertyCodec.write(out, properties, propertiesSize);
		return out;
	}

	/**
	 * DISCONNECT and AUTH: nothing for Success without properties, no property length
	 * without properties.
	 */
	private static ByteBuf reasonAndProperties(ByteBufAllocator allocator, ByteBuf target, int header, int type,
			int code, PacketProperties properties) {
		if (properties == PacketProperties.NONE) {
			if (code == ReasonCode.SUCCESS) {
				return PacketEncoder.frame(allocator, target, 2).writeShort(header << 8);
			}
			return PacketEncoder.frame(allocator, target, 3).writeShort((header << 8) | 1).writeByte(code);
		}
		int propertiesSize = PropertyCodec.size(properties, type);
		int remaining = 1 + PropertyCodec.encodedSize(propertiesSize);
		PacketEncoder.checkRemaining(remaining);
		ByteBuf out = PacketEncoder.frame(allocator, target, 1 + WireFormat.remainingLengthSize(remaining) + remaining);
		out.writeByte(header);
		WireFormat.writeRemainingLength(out, remaining);
		out.writeByte(code);
		PropertyCodec.write(out, properties, propertiesSize);
		return out;
	}

	private static ByteBuf connAck(ConnAck connAck, ByteBufAllocator allocator, ByteBuf target) {
		if (!ReasonCode.allowed(2, connAck.reasonCode())) {
			throw new IllegalArgumentException("CONNACK reason code " + ReasonCode.hex(connAck.reasonCode())
					+ " is not one of MQTT 5's [MQTT-3.2.2-8]");
		}
		if (connAck.sessionPresent() && connAck.reasonCode() != ReasonCode.SUCCESS) {
			throw new IllegalArgumentException("A refusing CONNACK has Session Present 0 [MQTT-3.2.2-6]");
		}
		int propertiesSize = PropertyCodec.size(connAck.properties(), 2);
		int remaining = 2 + PropertyCodec.encodedSize(propertiesSize);
		PacketEncoder.checkRemaining(remaining);
		ByteBuf out = PacketEncoder.frame(allocator, target, 1 + WireFormat.remainingLengthSize(remaining) + remaining);
		out.writeByte(0x20);
		WireFormat.writeRemainingLength(out, remaining);
		out.writeByte(connAck.sessionPresent() ? 1 : 0).writeByte(connAck.reasonCode());
		PropertyCodec.write(out, connAck.properties(), propertiesSize);
		return out;
	}

	/**
	 * The remaining length of a CONNECT at level 5, checking every field as
	 * {@link PacketEncoder#checkConnect} does for 3.1.1, and every property.
	 */
	static int connectRemaining(Connect connect) {
		int remaining = 2 + 4 + 1 + 1 + 2 + PropertyCodec.encodedSize(PropertyCodec.size(connect.properties(), 1)) + 2
				+ PacketEncoder.utf8Length(connect.clientId(), "client identifier");
		Will will = connect.will();
		if (will != null) {
			remaining += PropertyCodec.encodedSize(PropertyCodec.size(will.properties(), PropertyCodec.WILL)) + 2
					+ PacketEncoder.utf8Length(will.topic(), "will topic") + 2
					+ checkBinary(will.payload().length, "will payload");
		}
		if (connect.username() != null) {
			remaining += 2 + PacketEncoder.utf8Length(connect.username(), "user name");
		}
		if (connect.password() != null) {
			remaining += 2 + checkBinary(connect.password().length, "password");
		}
		PacketEncoder.checkRemaining(remaining);
		return remaining;
	}

	/**
	 * A CONNECT at level 5: properties after the keep-alive, will properties before the
	 * will topic.
	 */
	static ByteBuf connect(Connect connect, ByteBufAllocator allocator, ByteBuf target) {
		int remaining = connectRemaining(connect);
		int propertiesSize = PropertyCodec.size(connect.properties(), 1);
		int clientIdLength = Utf8.encodedLength(connect.clientId());
		Will will = connect.will();
		int willPropertiesSize = (will != null) ? PropertyCodec.size(will.properties(), PropertyCodec.WILL) : 0;
		int willTopicLength = (will != null) ? Utf8.encodedLength(will.topic()) : 0;
		int usernameLength = (connect.username() != null) ? Utf8.encodedLength(connect.username()) : 0;
		ByteBuf out = PacketEncoder.frame(allocator, target, 1 + WireFormat.remainingLengthSize(remaining) + remaining);
		out.writeByte(0x10);
		WireFormat.writeRemainingLength(out, remaining);
		WireFormat.writeString(out, "MQTT", 4);
		out.writeByte(Connect.MQTT_5);
		int flags = connect.cleanSession() ? 0x02 : 0;
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
		PropertyCodec.write(out, connect.properties(), propertiesSize);
		WireFormat.writeString(out, connect.clientId(), clientIdLength);
		if (will != null) {
			PropertyCodec.write(out, will.properties(), willPropertiesSize);
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

	private static int checkBinary(int length, String what) {
		if (length > 65_535) {
			throw new IllegalArgumentException(what + " is " + length + " bytes, more than 65535");
		}
		return length;
	}

	private static ByteBuf subscribe(Subscribe subscribe, ByteBufAllocator allocator, ByteBuf target) {
		List<Subscription> subscriptions = subscribe.subscriptions();
		int propertiesSize = PropertyCodec.size(subscribe.properties(), 8);
		int[] lengths = new int[subscriptions.size()];
		int remaining = 2 + PropertyCodec.encodedSize(propertiesSize);
		for (int i = 0; i < lengths.length; i++) {
			Subscription subscription = subscriptions.get(i);
			lengths[i] = PacketEncoder.utf8Length(subscription.filter(), "topic filter");
			if (subscription.options().noLocal() && subscription.filter().startsWith(TopicFilter.SHARED_PREFIX)) {
				throw new IllegalArgumentException("No Local on a shared subscription [MQTT-3.8.3-4]");
			}
			remaining += 2 + lengths[i] + 1;
		}
		PacketEncoder.checkRemaining(remaining);
		ByteBuf out = PacketEncoder.frame(allocator, target, 1 + WireFormat.remainingLengthSize(remaining) + remaining);
		// SUBSCRIBE flags must be 0010 [MQTT-3.8.1-1]
		out.writeByte(0x82);
		WireFormat.writeRemainingLength(out, remaining);
		out.writeShort(subscribe.packetId());
		PropertyCodec.write(out, subscribe.properties(), propertiesSize);
		for (int i = 0; i < lengths.length; i++) {
			Subscription subscription = subscriptions.get(i);
			WireFormat.writeString(out, subscription.filter(), lengths[i]);
			SubscribeOptions options = subscription.options();
			out.writeByte(subscription.qos() | (options.noLocal() ? 0x04 : 0) | (options.retainAsPublished() ? 0x08 : 0)
					| (options.retainHandling() << 4));
		}
		return out;
	}

	private static ByteBuf unsubscribe(Unsubscribe unsubscribe, ByteBufAllocator allocator, ByteBuf target) {
		List<String> filters = unsubscribe.filters();
		int propertiesSize = PropertyCodec.size(unsubscribe.properties(), 10);
		int[] lengths = new int[filters.size()];
		int remaining = 2 + PropertyCodec.encodedSize(propertiesSize);
		for (int i = 0; i < lengths.length; i++) {
			lengths[i] = PacketEncoder.utf8Length(filters.get(i), "topic filter");
			remaining += 2 + lengths[i];
		}
		PacketEncoder.checkRemaining(remaining);
		ByteBuf out = PacketEncoder.frame(allocator, target, 1 + WireFormat.remainingLengthSize(remaining) + remaining);
		// UNSUBSCRIBE flags must be 0010 [MQTT-3.10.1-1]
		out.writeByte(0xA2);
		WireFormat.writeRemainingLength(out, remaining);
		out.writeShort(unsubscribe.packetId());
		PropertyCodec.write(out, unsubscribe.properties(), propertiesSize);
		for (int i = 0; i < lengths.length; i++) {
			WireFormat.writeString(out, filters.get(i), lengths[i]);
		}
		return out;
	}

	/** SUBACK and UNSUBACK: packet id, properties, one reason code per topic filter. */
	private static ByteBuf codes(ByteBufAllocator allocator, ByteBuf target, int header, int type, int packetId,
			List<Integer> codes, PacketProperties properties) {
		if (codes.isEmpty()) {
			throw new IllegalArgumentException("An MQTT 5 " + PacketDecoder.name(type)
					+ " has a reason code per topic filter [MQTT-3.9.3-2, MQTT-3.11.3-2]");
		}
		int propertiesSize = PropertyCodec.size(properties, type);
		int remaining = 2 + PropertyCodec.encodedSize(propertiesSize) + codes.size();
		PacketEncoder.checkRemaining(remaining);
		ByteBuf out = PacketEncoder.frame(allocator, target, 1 + WireFormat.remainingLengthSize(remaining) + remaining);
		out.writeByte(header);
		WireFormat.writeRemainingLength(out, remaining);
		out.writeShort(packetId);
		PropertyCodec.write(out, properties, propertiesSize);
		for (int code : codes) {
			out.writeByte(code);
		}
		return out;
	}

}
