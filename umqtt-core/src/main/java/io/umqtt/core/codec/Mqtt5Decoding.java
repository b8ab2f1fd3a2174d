package io.umqtt.core.codec;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
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
import io.umqtt.core.topic.TopicName;

/**
 * The MQTT 5 packet bodies, for {@link PacketDecoder} at protocol level 5: the same
 * framing as 3.1.1, then properties, reason codes checked against the packet's own set,
 * subscription options and AUTH. Stateless.
 */
final class Mqtt5Decoding {

	private Mqtt5Decoding() {
	}

	/**
	 * Decodes any packet but PUBLISH from its body, a slice of exactly its remaining
	 * length.
	 */
	static Packet body(int type, ByteBuf body) {
		return switch (type) {
			case 1 -> connect(body);
			case 2 -> connAck(body);
			case 4, 5, 6, 7 -> acknowledgement(type, body);
			case 8 -> subscribe(body);
			case 9 -> subAck(body);
			case 10 -> unsubscribe(body);
			case 11 -> unsubAck(body);
			case 12 -> PingReq.INSTANCE;
			case 13 -> PingResp.INSTANCE;
			case 14 -> disconnect(body);
			case 15 -> auth(body);
			default -> throw new MalformedPacketException("Packet type " + type + " is reserved [MQTT-2.1.2]");
		};
	}

	/**
	 * Decodes a PUBLISH from {@code in[index, index + remaining)} by absolute index:
	 * topic, packet identifier, properties, then the payload as a retained slice.
	 */
	static Publish publish(PacketDecoder decoder, int first, ByteBuf in, int index, int remaining) {
		int qos = (first >> 1) & 0x03;
		boolean dup = (first & 0x08) != 0;
		boolean retain = (first & 0x01) != 0;
		if (qos == 0 && dup) {
			throw new MalformedPacketException("PUBLISH with QoS 0 and DUP set [MQTT-3.3.1-2]");
		}
		int end = index + remaining;
		int position = index;
		if (remaining < 2) {
			throw new MalformedPacketException("PUBLISH topic name: length prefix cut short by the remaining length");
		}
		int topicLength = in.getUnsignedShort(position);
		position += 2;
		if (end - position < topicLength) {
			throw new MalformedPacketException("PUBLISH topic name: declares " + topicLength + " bytes but only "
					+ (end - position) + " remain in the packet");
		}
		// an empty topic name stands for the one its Topic Alias was set up with
		// [MQTT-3.3.2.3.4]
		String topic = (topicLength == 0) ? "" : decoder.topicName(in, position, topicLength);
		position += topicLength;
		int packetId = 0;
		if (qos > 0) {
			if (end - position < 2) {
				throw new MalformedPacketException("PUBLISH is missing its packet identifier");
			}
			packetId = in.getUnsignedShort(position);
			if (packetId == 0) {
				throw new MalformedPacketException("PUBLISH with packet identifier 0 [MQTT-2.2.1-3]");
			}
			position += 2;
		}
		if (position == end) {
			throw new MalformedPacketException("PUBLISH property length: cut short by the remaining length");
		}
		PacketProperties properties;
		if (in.getByte(position) == 0) {
			properties = PacketProperties.NONE;
			position++;
		}
		else {
			int length = WireFormat.getVariableByteInteger(in, position, end, "PUBLISH property length");
			position += WireFormat.variableByteIntegerSize(length);
			if (length > end - position) {
				throw new MalformedPacketException("PUBLISH property length " + length + " is more than the "
						+ (end - position) + " bytes left in the packet [MQTT-2.2.2]");
			}
			properties = PropertyCodec.readProperties(in.slice(position, length), 3);
			position += length;
		}
		if (topicLength == 0 && properties.topicAlias() == PacketProperties.ABSENT) {
			throw new MalformedPacketException("PUBLISH with an empty topic name and no Topic Alias [MQTT-3.3.2.3.4]",
					ReasonCode.PROTOCOL_ERROR);
		}
		return new Publish(topic, qos, retain, dup, packetId, in.retainedSlice(position, end - position), properties);
	}

	/** The 3.1.1 CONNACK return code a server that does not speak 5 refuses with. */
	private static final int OLD_UNACCEPTABLE_PROTOCOL_VERSION = 0x01;

	/** The MQTT 5 CONNACK reason code Unsupported Protocol Version. */
	private static final int UNSUPPORTED_PROTOCOL_VERSION = 0x84;

	private static int packetId(ByteBuf body, String what) {
		if (body.readableBytes() < 2) {
			throw new MalformedPacketException(what + " is missing its packet identifier");
		}
		int id = body.readUnsignedShort();
		if (id == 0) {
			throw new MalformedPacketException(what + " with packet identifier 0 [MQTT-2.2.1-3]");
		}
		return id;
	}

	private static int reasonCode(ByteBuf body, int type, String rule) {
		int code = body.readUnsignedByte();
		if (!ReasonCode.allowed(type, code)) {
			throw new MalformedPacketException(PacketDecoder.name(type) + " reason code " + ReasonCode.hex(code)
					+ " is not one the packet may carry [" + rule + "]");
		}
		return code;
	}

	/**
	 * PUBACK, PUBREC, PUBREL, PUBCOMP: packet id, then the reason code and the
	 * properties, each omitted when the remaining length ends before it [MQTT-3.4.2.1,
	 * MQTT-3.4.2.2.1].
	 */
	private static Packet acknowledgement(int type, ByteBuf body) {
		int packetId = packetId(body, PacketDecoder.name(type));
		int code = ReasonCode.SUCCESS;
		PacketProperties properties = PacketProperties.NONE;
		if (body.isReadable()) {
			code = reasonCode(body, type, "MQTT-3." + type + ".2-1");
			if (body.isReadable()) {
				properties = PropertyCodec.read(body, type);
			}
		}
		return acknowledgement(type, packetId, code, properties);
	}

	/**
	 * PUBACK, PUBREC, PUBREL, PUBCOMP with a reason code and no properties, read in place
	 * by {@link PacketDecoder} without a slice of the body.
	 * @param type 4 to 7
	 * @param packetId as read, checked here
	 * @param code as read, checked here
	 */
	static Packet acknowledgement(int type, int packetId, int code) {
		if (packetId == 0) {
			throw new MalformedPacketException(PacketDecoder.name(type) + " with packet identifier 0 [MQTT-2.2.1-3]");
		}
		if (!ReasonCode.allowed(type, code)) {
			throw new MalformedPacketException(PacketDecoder.name(type) + " reason code " + ReasonCode.hex(code)
					+ " is not one the packet may carry [MQTT-3." + type + ".2-1]");
		}
		return acknowledgement(type, packetId, code, PacketProperties.NONE);
	}

	private static Packet acknowledgement(int type, int packetId, int code, PacketProperties properties) {
		return switch (type) {
			case 4 -> new PubAck(packetId, code, properties);
			case 5 -> new PubRec(packetId, code, properties);
			case 6 -> new PubRel(packetId, code, properties);
			default -> new PubComp(packetId, code, properties);
		};
	}

	private static ConnAck connAck(ByteBuf body) {
		if (body.readableBytes() >= 2 && body.readableBytes() <= 3
				&& body.getUnsignedByte(body.readerIndex() + 1) == OLD_UNACCEPTABLE_PROTOCOL_VERSION) {
			// a server that does not speak 5 refuses as 3.1.1 does (some with a property
			// length behind): that is a refusal of the protocol version, so final, not a
			// malformed packet to retry after
			body.skipBytes(body.readableBytes());
			return new ConnAck(false, UNSUPPORTED_PROTOCOL_VERSION, PacketProperties.builder()
				.reasonString("the server answered with return code 0x01 (unacceptable protocol version) as an "
						+ "MQTT 3.1.1 server does: it does not speak MQTT 5; use version 4, or a broker that speaks 5")
				.build());
		}
		if (body.readableBytes() < 3) {
			throw new MalformedPacketException(
					"CONNACK needs flags, a reason code and a property length, had " + body.readableBytes() + " bytes");
		}
		int flags = body.readUnsignedByte();
		if ((flags & 0xFE) != 0) {
			throw new MalformedPacketException("CONNACK acknowledge flags bits 7-1 are reserved [MQTT-3.2.2-1]");
		}
		int code = reasonCode(body, 2, "MQTT-3.2.2-8");
		boolean sessionPresent = (flags & 1) != 0;
		if (sessionPresent && code != ReasonCode.SUCCESS) {
			throw new MalformedPacketException("CONNACK refusing the connection with Session Present 1 [MQTT-3.2.2-6]",
					ReasonCode.PROTOCOL_ERROR);
		}
		return new ConnAck(sessionPresent, code, PropertyCodec.read(body, 2));
	}

	private static Connect connect(ByteBuf body) {
		String protocolName = WireFormat.readString(body, "CONNECT protocol name");
		if (body.readableBytes() < 4) {
			throw new MalformedPacketException("CONNECT variable header cut short");
		}
		int level = body.readUnsignedByte();
		if (!"MQTT".equals(protocolName) || level != Connect.MQTT_5) {
			throw new MalformedPacketException("CONNECT protocol " + protocolName + " level " + level
					+ " is not MQTT 5 [MQTT-3.1.2-1, MQTT-3.1.2-2]");
		}
		int flags = PacketDecoder.checkConnectFlags(body.readUnsignedByte(), "MQTT-3.1.2-11, MQTT-3.1.2-13",
				"MQTT-3.1.2-12");
		boolean hasWill = (flags & 0x04) != 0;
		int willQos = (flags >> 3) & 0x03;
		boolean willRetain = (flags & 0x20) != 0;
		boolean hasPassword = (flags & 0x40) != 0;
		boolean hasUsername = (flags & 0x80) != 0;
		int keepAlive = body.readUnsignedShort();
		PacketProperties properties = PropertyCodec.read(body, 1);
		String clientId = WireFormat.readString(body, "CONNECT client identifier");
		Will will = null;
		if (hasWill) {
			PacketProperties willProperties = PropertyCodec.read(body, PropertyCodec.WILL);
			String willTopic = WireFormat.readString(body, "CONNECT will topic");
			String problem = TopicName.problem(willTopic);
			if (problem != null) {
				throw new MalformedPacketException("CONNECT will " + problem);
			}
			will = new Will(willTopic, WireFormat.readBinary(body, "CONNECT will payload"), willQos, willRetain,
					willProperties);
		}
		String username = hasUsername ? WireFormat.readString(body, "CONNECT user name") : null;
		byte[] password = hasPassword ? WireFormat.readBinary(body, "CONNECT password") : null;
		return new Connect(level, (flags & 0x02) != 0, keepAlive, clientId, will, username, password, properties);
	}

	private static Subscribe subscribe(ByteBuf body) {
		int packetId = packetId(body, "SUBSCRIBE");
		PacketProperties properties = PropertyCodec.read(body, 8);
		List<Subscription> subscriptions = new ArrayList<>();
		while (body.isReadable()) {
			String filter = WireFormat.readString(body, "SUBSCRIBE topic filter");
			String problem = TopicFilter.problem(filter);
			if (problem != null) {
				throw new MalformedPacketException("SUBSCRIBE " + problem);
			}
			if (!body.isReadable()) {
				throw new MalformedPacketException("SUBSCRIBE topic filter without subscription options");
			}
			int options = body.readUnsignedByte();
			if ((options & 0xC0) != 0) {
				throw new MalformedPacketException(
						"SUBSCRIBE subscription options bits 7-6 are reserved" + " [MQTT-3.8.3-5]");
			}
			if ((options & 0x03) == 3) {
				throw new MalformedPacketException("SUBSCRIBE with QoS 3 [MQTT-3.8.3.1]");
			}
			int retainHandling = (options >> 4) & 0x03;
			if (retainHandling == 3) {
				throw new MalformedPacketException("SUBSCRIBE with Retain Handling 3 [MQTT-3.8.3.1]",
						ReasonCode.PROTOCOL_ERROR);
			}
			boolean noLocal = (options & 0x04) != 0;
			if (noLocal && filter.startsWith(TopicFilter.SHARED_PREFIX)) {
				throw new MalformedPacketException("SUBSCRIBE with No Local on a shared subscription [MQTT-3.8.3-4]",
						ReasonCode.PROTOCOL_ERROR);
			}
			subscriptions.add(new Subscription(filter, options & 0x03,
					new SubscribeOptions(noLocal, (options & 0x08) != 0, retainHandling)));
		}
		if (subscriptions.isEmpty()) {
			throw new MalformedPacketException("SUBSCRIBE without topic filters [MQTT-3.8.3-2]",
					ReasonCode.PROTOCOL_ERROR);
		}
		return new Subscribe(packetId, subscriptions, properties);
	}

	private static List<Integer> reasonCodes(ByteBuf body, int type, String rule) {
		List<Integer> codes = new ArrayList<>(body.readableBytes());
		while (body.isReadable()) {
			codes.add(reasonCode(body, type, rule));
		}
		if (codes.isEmpty()) {
			throw new MalformedPacketException(
					PacketDecoder.name(type) + " without reason codes, one per topic filter [" + rule + "]",
					ReasonCode.PROTOCOL_ERROR);
		}
		return codes;
	}

	private static SubAck subAck(ByteBuf body) {
		int packetId = packetId(body, "SUBACK");
		PacketProperties properties = PropertyCodec.read(body, 9);
		return new SubAck(packetId, reasonCodes(body, 9, "MQTT-3.9.3-2"), properties);
	}

	private static Unsubscribe unsubscribe(ByteBuf body) {
		int packetId = packetId(body, "UNSUBSCRIBE");
		PacketProperties properties = PropertyCodec.read(body, 10);
		List<String> filters = new ArrayList<>();
		while (body.isReadable()) {
			String filter = WireFormat.readString(body, "UNSUBSCRIBE topic filter");
			String problem = TopicFilter.problem(filter);
			if (problem != null) {
				throw new MalformedPacketException("UNSUBSCRIBE " + problem);
			}
			filters.add(filter);
		}
		if (filters.isEmpty()) {
			throw new MalformedPacketException("UNSUBSCRIBE without topic filters [MQTT-3.10.3-2]",
					ReasonCode.PROTOCOL_ERROR);
		}
		return new Unsubscribe(packetId, filters, properties);
	}

	private static UnsubAck unsubAck(ByteBuf body) {
		int packetId = packetId(body, "UNSUBACK");
		PacketProperties properties = PropertyCodec.read(body, 11);
		return new UnsubAck(packetId, reasonCodes(body, 11, "MQTT-3.11.3-2"), properties);
	}

	/**
	 * DISCONNECT: no bytes is a normal disconnection; the property length may be left out
	 * too.
	 */
	private static Disconnect disconnect(ByteBuf body) {
		if (!body.isReadable()) {
			return Disconnect.INSTANCE;
		}
		int code = reasonCode(body, 14, "MQTT-3.14.2-1");
		PacketProperties properties = body.isReadable() ? PropertyCodec.read(body, 14) : PacketProperties.NONE;
		return new Disconnect(code, properties);
	}

	/** AUTH: no bytes is Success without properties [MQTT-3.15.2.1]. */
	private static Auth auth(ByteBuf body) {
		if (!body.isReadable()) {
			return new Auth(ReasonCode.SUCCESS, PacketProperties.NONE);
		}
		int code = reasonCode(body, 15, "MQTT-3.15.2-1");
		PacketProperties properties = body.isReadable() ? PropertyCodec.read(body, 15) : PacketProperties.NONE;
		if (properties.authenticationMethod() == null) {
			throw new MalformedPacketException("AUTH without an Authentication Method [MQTT-3.15.2.2.2]",
					ReasonCode.PROTOCOL_ERROR);
		}
		return new Auth(code, properties);
	}

}
