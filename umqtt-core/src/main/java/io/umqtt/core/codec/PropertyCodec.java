package io.umqtt.core.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.umqtt.core.ReasonCode;
import io.umqtt.core.UserProperty;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PacketPropertiesBuilder;
import io.umqtt.core.topic.TopicName;
import io.umqtt.core.topic.Utf8;

/**
 * The MQTT 5 properties on the wire [MQTT-2.2.2]: a variable byte integer length, then
 * each property as its identifier and a value of the type table 2-4 gives it. Both ways,
 * each property is checked against the packets that may carry it; on reading, an unknown
 * identifier or one not allowed on the packet is a malformed packet, a property repeated
 * where the specification allows one is a protocol error (only User Property, and
 * Subscription Identifier on PUBLISH, may repeat), and values are range-checked.
 * <p>
 * Properties are written in identifier order, user properties in their own order.
 */
final class PropertyCodec {

	/**
	 * The packet type index used for the will properties of CONNECT (0 is no packet's
	 * type).
	 */
	static final int WILL = 0;

	private static final int MAX_ID = 0x2A;

	/** Per identifier, its name; {@code null} for an unknown identifier. */
	private static final String[] NAMES = new String[MAX_ID + 1];

	/**
	 * Per identifier, the packet types (bit n: type n, bit 0: will properties) that may
	 * carry it.
	 */
	private static final int[] CARRIERS = new int[MAX_ID + 1];

	private static final int CONNECT = 1 << 1;

	private static final int CONNACK = 1 << 2;

	private static final int PUBLISH = 1 << 3;

	private static final int ACKS = (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7);

	private static final int SUBSCRIBE = 1 << 8;

	private static final int SUBACK = 1 << 9;

	private static final int UNSUBSCRIBE = 1 << 10;

	private static final int UNSUBACK = 1 << 11;

	private static final int DISCONNECT = 1 << 14;

	private static final int AUTH = 1 << 15;

	private static final int WILL_BIT = 1;

	static {
		define(PacketProperties.PAYLOAD_FORMAT_INDICATOR, "Payload Format Indicator", PUBLISH | WILL_BIT);
		define(PacketProperties.MESSAGE_EXPIRY_INTERVAL, "Message Expiry Interval", PUBLISH | WILL_BIT);
		define(PacketProperties.CONTENT_TYPE, "Content Type", PUBLISH | WILL_BIT);
		define(PacketProperties.RESPONSE_TOPIC, "Response Topic", PUBLISH | WILL_BIT);
		define(PacketProperties.CORRELATION_DATA, "Correlation Data", PUBLISH | WILL_BIT);
		define(PacketProperties.SUBSCRIPTION_IDENTIFIER, "Subscription Identifier", PUBLISH | SUBSCRIBE);
		define(PacketProperties.SESSION_EXPIRY_INTERVAL, "Session Expiry Interval", CONNECT | CONNACK | DISCONNECT);
		define(PacketProperties.ASSIGNED_CLIENT_IDENTIFIER, "Assigned Client Identifier", CONNACK);
		define(PacketProperties.SERVER_KEEP_ALIVE, "Server Keep Alive", CONNACK);
		define(PacketProperties.AUTHENTICATION_METHOD, "Authentication Method", CONNECT | CONNACK | AUTH);
		define(PacketProperties.AUTHENTICATION_DATA, "Authentication Data", CONNECT | CONNACK | AUTH);
		define(PacketProperties.REQUEST_PROBLEM_INFORMATION, "Request Problem Information", CONNECT);
		define(PacketProperties.WILL_DELAY_INTERVAL, "Will Delay Interval", WILL_BIT);
		define(PacketProperties.REQUEST_RESPONSE_INFORMATION, "Request Response Information", CONNECT);
		define(PacketProperties.RESPONSE_INFORMATION, "Response Information", CONNACK);
		define(PacketProperties.SERVER_REFERENCE, "Server Reference", CONNACK | DISCONNECT);
		define(PacketProperties.REASON_STRING, "Reason String", CONNACK | ACKS | SUBACK | UNSUBACK | DISCONNECT | AUTH);
		define(PacketProperties.RECEIVE_MAXIMUM, "Receive Maximum", CONNECT | CONNACK);
		define(PacketProperties.TOPIC_ALIAS_MAXIMUM, "Topic Alias Maximum", CONNECT | CONNACK);
		define(PacketProperties.TOPIC_ALIAS, "Topic Alias", PUBLISH);
		define(PacketProperties.MAXIMUM_QOS, "Maximum QoS", CONNACK);
		define(PacketProperties.RETAIN_AVAILABLE, "Retain Available", CONNACK);
		define(PacketProperties.USER_PROPERTY, "User Property", WILL_BIT | CONNECT | CONNACK | PUBLISH | ACKS
				| SUBSCRIBE | SUBACK | UNSUBSCRIBE | UNSUBACK | DISCONNECT | AUTH);
		define(PacketProperties.MAXIMUM_PACKET_SIZE, "Maximum Packet Size", CONNECT | CONNACK);
		define(PacketProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, "Wildcard Subscription Available", CONNACK);
		define(PacketProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, "Subscription Identifier Available", CONNACK);
		define(PacketProperties.SHARED_SUBSCRIPTION_AVAILABLE, "Shared Subscription Available", CONNACK);
	}

	private PropertyCodec() {
	}

	private static void define(int id, String name, int carriers) {
		NAMES[id] = name;
		CARRIERS[id] = carriers;
	}

	/** Whether a packet type ({@link #WILL} for will properties) may carry a property. */
	static boolean allowed(int id, int packetType) {
		return id >= 0 && id <= MAX_ID && (CARRIERS[id] & (1 << packetType)) != 0;
	}

	/** The specification's name of a property identifier. */
	static String name(int id) {
		String name = (id >= 0 && id <= MAX_ID) ? NAMES[id] : null;
		return (name != null) ? name : "unknown property 0x" + Integer.toHexString(id);
	}

	private static String carrier(int packetType) {
		return (packetType == WILL) ? "the will properties" : PacketDecoder.name(packetType);
	}

	// ---- encoding ----

	/**
	 * The size of the properties' bytes, without their length, checking that the packet
	 * may carry each and that every value can be encoded.
	 * @param properties the properties
	 * @param packetType the carrying packet's type, or {@link #WILL}
	 * @return the size, 0 for none
	 * @throws IllegalArgumentException naming the property and the rule
	 */
	static int size(PacketProperties properties, int packetType) {
		if (properties == PacketProperties.NONE) {
			return 0;
		}
		int size = 0;
		size += fixed(properties.payloadFormatIndicator() != PacketProperties.ABSENT,
				PacketProperties.PAYLOAD_FORMAT_INDICATOR, 1, packetType);
		size += fixed(properties.messageExpiryInterval() != PacketProperties.ABSENT,
				PacketProperties.MESSAGE_EXPIRY_INTERVAL, 4, packetType);
		size += string(properties.contentType(), PacketProperties.CONTENT_TYPE, packetType);
		if (properties.responseTopic() != null) {
			String problem = TopicName.problem(properties.responseTopic());
			if (problem != null) {
				throw new IllegalArgumentException("Response Topic: " + problem + " [MQTT-3.3.2-14]");
			}
		}
		size += string(properties.responseTopic(), PacketProperties.RESPONSE_TOPIC, packetType);
		size += binary(properties.correlationData(), PacketProperties.CORRELATION_DATA, packetType);
		List<Integer> subscriptionIds = properties.subscriptionIdentifiers();
		if (!subscriptionIds.isEmpty()) {
			check(PacketProperties.SUBSCRIPTION_IDENTIFIER, packetType);
			if (packetType != 3 && subscriptionIds.size() > 1) {
				throw new IllegalArgumentException(
						carrier(packetType) + " carries at most one Subscription Identifier [MQTT-3.8.2.1.2]");
			}
			for (int i = 0; i < subscriptionIds.size(); i++) {
				size += 1 + WireFormat.variableByteIntegerSize(subscriptionIds.get(i));
			}
		}
		size += fixed(properties.sessionExpiryInterval() != PacketProperties.ABSENT,
				PacketProperties.SESSION_EXPIRY_INTERVAL, 4, packetType);
		size += string(properties.assignedClientIdentifier(), PacketProperties.ASSIGNED_CLIENT_IDENTIFIER, packetType);
		size += fixed(properties.serverKeepAlive() != PacketProperties.ABSENT, PacketProperties.SERVER_KEEP_ALIVE, 2,
				packetType);
		size += string(properties.authenticationMethod(), PacketProperties.AUTHENTICATION_METHOD, packetType);
		if (properties.authenticationData() != null && properties.authenticationMethod() == null) {
			throw new IllegalArgumentException("Authentication Data needs an Authentication Method [MQTT-3.1.2.11.10]");
		}
		size += binary(properties.authenticationData(), PacketProperties.AUTHENTICATION_DATA, packetType);
		size += fixed(properties.requestProblemInformation() != PacketProperties.ABSENT,
				PacketProperties.REQUEST_PROBLEM_INFORMATION, 1, packetType);
		size += fixed(properties.willDelayInterval() != PacketProperties.ABSENT, PacketProperties.WILL_DELAY_INTERVAL,
				4, packetType);
		size += fixed(properties.requestResponseInformation() != PacketProperties.ABSENT,
				PacketProperties.REQUEST_RESPONSE_INFORMATION, 1, packetType);
		size += string(properties.responseInformation(), PacketProperties.RESPONSE_INFORMATION, packetType);
		size += string(properties.serverReference(), PacketProperties.SERVER_REFERENCE, packetType);
		size += string(properties.reasonString(), PacketProperties.REASON_STRING, packetType);
		size += fixed(properties.receiveMaximum() != PacketProperties.ABSENT, PacketProperties.RECEIVE_MAXIMUM, 2,
				packetType);
		size += fixed(properties.topicAliasMaximum() != PacketProperties.ABSENT, PacketProperties.TOPIC_ALIAS_MAXIMUM,
				2, packetType);
		size += fixed(properties.topicAlias() != PacketProperties.ABSENT, PacketProperties.TOPIC_ALIAS, 2, packetType);
		size += fixed(properties.maximumQos() != PacketProperties.ABSENT, PacketProperties.MAXIMUM_QOS, 1, packetType);
		size += fixed(properties.retainAvailable() != PacketProperties.ABSENT, PacketProperties.RETAIN_AVAILABLE, 1,
				packetType);
		List<UserProperty> userProperties = properties.userProperties();
		if (!userProperties.isEmpty()) {
			check(PacketProperties.USER_PROPERTY, packetType);
			for (int i = 0; i < userProperties.size(); i++) {
				UserProperty property = userProperties.get(i);
				size += 1 + 2 + utf8Length(property.name(), "User Property name") + 2
						+ utf8Length(property.value(), "User Property value");
			}
		}
		size += fixed(properties.maximumPacketSize() != PacketProperties.ABSENT, PacketProperties.MAXIMUM_PACKET_SIZE,
				4, packetType);
		size += fixed(properties.wildcardSubscriptionAvailable() != PacketProperties.ABSENT,
				PacketProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 1, packetType);
		size += fixed(properties.subscriptionIdentifierAvailable() != PacketProperties.ABSENT,
				PacketProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1, packetType);
		size += fixed(properties.sharedSubscriptionAvailable() != PacketProperties.ABSENT,
				PacketProperties.SHARED_SUBSCRIPTION_AVAILABLE, 1, packetType);
		return size;
	}

	private static void check(int id, int packetType) {
		if (!allowed(id, packetType)) {
			throw new IllegalArgumentException(
					name(id) + " is not a property of " + carrier(packetType) + " [MQTT-2.2.2.2]");
		}
	}

	private static int fixed(boolean present, int id, int valueSize, int packetType) {
		if (!present) {
			return 0;
		}
		check(id, packetType);
		return 1 + valueSize;
	}

	private static int string(String value, int id, int packetType) {
		if (value == null) {
			return 0;
		}
		check(id, packetType);
		return 1 + 2 + utf8Length(value, name(id));
	}

	private static int binary(byte[] value, int id, int packetType) {
		if (value == null) {
			return 0;
		}
		check(id, packetType);
		return 1 + 2 + value.length;
	}

	private static int utf8Length(String value, String what) {
		int length = Utf8.encodedLength(value);
		if (length < 0) {
			throw new IllegalArgumentException(what + " is not well-formed UTF-8 [MQTT-1.5.4-1]");
		}
		if (length > 65_535) {
			throw new IllegalArgumentException(what + " is " + length + " UTF-8 bytes, more than 65535");
		}
		if (value.indexOf('\0') >= 0) {
			throw new IllegalArgumentException(what + " must not contain U+0000 [MQTT-1.5.4-2]");
		}
		return length;
	}

	/**
	 * How many bytes the properties take with their length: {@code size} from
	 * {@link #size}.
	 */
	static int encodedSize(int size) {
		return WireFormat.variableByteIntegerSize(size) + size;
	}

	/**
	 * Writes the property length and the properties.
	 * @param out the buffer, with room
	 * @param properties the properties, checked by {@link #size}
	 * @param size what {@link #size} returned for them
	 */
	static void write(ByteBuf out, PacketProperties properties, int size) {
		WireFormat.writeVariableByteInteger(out, size);
		writeBody(out, properties, size);
	}

	/**
	 * Writes the properties without their length, nothing when {@code size} is 0.
	 * @param out the buffer, with room
	 * @param properties the properties, checked by {@link #size}
	 * @param size what {@link #size} returned for them
	 */
	static void writeBody(ByteBuf out, PacketProperties properties, int size) {
		if (size == 0) {
			return;
		}
		if (properties.payloadFormatIndicator() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.PAYLOAD_FORMAT_INDICATOR).writeByte(properties.payloadFormatIndicator());
		}
		if (properties.messageExpiryInterval() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.MESSAGE_EXPIRY_INTERVAL).writeInt((int) properties.messageExpiryInterval());
		}
		writeString(out, PacketProperties.CONTENT_TYPE, properties.contentType());
		writeString(out, PacketProperties.RESPONSE_TOPIC, properties.responseTopic());
		writeBinary(out, PacketProperties.CORRELATION_DATA, properties.correlationData());
		// indexed loops: no iterator allocated per packet
		List<Integer> subscriptionIds = properties.subscriptionIdentifiers();
		for (int i = 0; i < subscriptionIds.size(); i++) {
			out.writeByte(PacketProperties.SUBSCRIPTION_IDENTIFIER);
			WireFormat.writeVariableByteInteger(out, subscriptionIds.get(i));
		}
		if (properties.sessionExpiryInterval() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.SESSION_EXPIRY_INTERVAL).writeInt((int) properties.sessionExpiryInterval());
		}
		writeString(out, PacketProperties.ASSIGNED_CLIENT_IDENTIFIER, properties.assignedClientIdentifier());
		if (properties.serverKeepAlive() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.SERVER_KEEP_ALIVE).writeShort(properties.serverKeepAlive());
		}
		writeString(out, PacketProperties.AUTHENTICATION_METHOD, properties.authenticationMethod());
		writeBinary(out, PacketProperties.AUTHENTICATION_DATA, properties.authenticationData());
		if (properties.requestProblemInformation() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.REQUEST_PROBLEM_INFORMATION)
				.writeByte(properties.requestProblemInformation());
		}
		if (properties.willDelayInterval() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.WILL_DELAY_INTERVAL).writeInt((int) properties.willDelayInterval());
		}
		if (properties.requestResponseInformation() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.REQUEST_RESPONSE_INFORMATION)
				.writeByte(properties.requestResponseInformation());
		}
		writeString(out, PacketProperties.RESPONSE_INFORMATION, properties.responseInformation());
		writeString(out, PacketProperties.SERVER_REFERENCE, properties.serverReference());
		writeString(out, PacketProperties.REASON_STRING, properties.reasonString());
		if (properties.receiveMaximum() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.RECEIVE_MAXIMUM).writeShort(properties.receiveMaximum());
		}
		if (properties.topicAliasMaximum() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.TOPIC_ALIAS_MAXIMUM).writeShort(properties.topicAliasMaximum());
		}
		if (properties.topicAlias() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.TOPIC_ALIAS).writeShort(properties.topicAlias());
		}
		if (properties.maximumQos() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.MAXIMUM_QOS).writeByte(properties.maximumQos());
		}
		if (properties.retainAvailable() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.RETAIN_AVAILABLE).writeByte(properties.retainAvailable());
		}
		List<UserProperty> userProperties = properties.userProperties();
		for (int i = 0; i < userProperties.size(); i++) {
			UserProperty property = userProperties.get(i);
			out.writeByte(PacketProperties.USER_PROPERTY);
			WireFormat.writeString(out, property.name(), Utf8.encodedLength(property.name()));
			WireFormat.writeString(out, property.value(), Utf8.encodedLength(property.value()));
		}
		if (properties.maximumPacketSize() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.MAXIMUM_PACKET_SIZE).writeInt((int) properties.maximumPacketSize());
		}
		if (properties.wildcardSubscriptionAvailable() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.WILDCARD_SUBSCRIPTION_AVAILABLE)
				.writeByte(properties.wildcardSubscriptionAvailable());
		}
		if (properties.subscriptionIdentifierAvailable() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE)
				.writeByte(properties.subscriptionIdentifierAvailable());
		}
		if (properties.sharedSubscriptionAvailable() != PacketProperties.ABSENT) {
			out.writeByte(PacketProperties.SHARED_SUBSCRIPTION_AVAILABLE)
				.writeByte(properties.sharedSubscriptionAvailable());
		}
	}

	private static void writeString(ByteBuf out, int id, String value) {
		if (value != null) {
			out.writeByte(id);
			WireFormat.writeString(out, value, Utf8.encodedLength(value));
		}
	}

	private static void writeBinary(ByteBuf out, int id, byte[] value) {
		if (value != null) {
			out.writeByte(id);
			WireFormat.writeBinary(out, value);
		}
	}

	// ---- decoding ----

	/**
	 * Reads a property length and the properties at the reader index of {@code body}.
	 * @param body the packet's remaining bytes
	 * @param packetType the carrying packet's type, or {@link #WILL}
	 * @return the properties, {@link PacketProperties#NONE} for none
	 * @throws MalformedPacketException when a property breaks a rule
	 */
	static PacketProperties read(ByteBuf body, int packetType) {
		String what = carrier(packetType) + " property length";
		int length = WireFormat.readVariableByteInteger(body, what);
		if (length == 0) {
			return PacketProperties.NONE;
		}
		if (length > body.readableBytes()) {
			throw new MalformedPacketException(what + " " + length + " is more than the " + body.readableBytes()
					+ " bytes left in the packet [MQTT-2.2.2]");
		}
		return readProperties(body.readSlice(length), packetType);
	}

	/** Reads every property in {@code in}, which holds exactly the properties. */
	static PacketProperties readProperties(ByteBuf in, int packetType) {
		PacketPropertiesBuilder builder = PacketProperties.builder();
		long seen = 0;
		while (in.isReadable()) {
			int id = WireFormat.readVariableByteInteger(in, carrier(packetType) + " property identifier");
			if (id > MAX_ID || NAMES[id] == null) {
				throw new MalformedPacketException(carrier(packetType) + ": unknown property identifier 0x"
						+ Integer.toHexString(id) + " [MQTT-2.2.2.2]");
			}
			if (!allowed(id, packetType)) {
				throw new MalformedPacketException(name(id) + " (0x" + Integer.toHexString(id)
						+ ") is not a property of " + carrier(packetType) + " [MQTT-2.2.2.2]");
			}
			long bit = 1L << id;
			if ((seen & bit) != 0 && id != PacketProperties.USER_PROPERTY
					&& !(id == PacketProperties.SUBSCRIPTION_IDENTIFIER && packetType == 3)) {
				throw new MalformedPacketException(
						carrier(packetType) + " carries " + name(id) + " more than once [MQTT-2.2.2.2]",
						ReasonCode.PROTOCOL_ERROR);
			}
			seen |= bit;
			readValue(in, id, packetType, builder);
		}
		PacketProperties properties = builder.build();
		if (properties.authenticationData() != null && properties.authenticationMethod() == null) {
			throw new MalformedPacketException(
					carrier(packetType) + " carries Authentication Data without an Authentication Method",
					ReasonCode.PROTOCOL_ERROR);
		}
		return properties;
	}

	private static void readValue(ByteBuf in, int id, int packetType, PacketPropertiesBuilder builder) {
		String what = name(id);
		switch (id) {
			case PacketProperties.PAYLOAD_FORMAT_INDICATOR -> builder.payloadFormatIndicator(flag(in, what, false));
			case PacketProperties.MESSAGE_EXPIRY_INTERVAL -> builder.messageExpiryInterval(fourBytes(in, what));
			case PacketProperties.CONTENT_TYPE -> builder.contentType(WireFormat.readString(in, what));
			case PacketProperties.RESPONSE_TOPIC -> {
				String topic = WireFormat.readString(in, what);
				String problem = TopicName.problem(topic);
				if (problem != null) {
					throw new MalformedPacketException("Response Topic: " + problem + " [MQTT-3.3.2-14]",
							ReasonCode.PROTOCOL_ERROR);
				}
				builder.responseTopic(topic);
			}
			case PacketProperties.CORRELATION_DATA -> builder.correlationData(WireFormat.readBinary(in, what));
			case PacketProperties.SUBSCRIPTION_IDENTIFIER -> {
				int value = WireFormat.readVariableByteInteger(in, what);
				if (value == 0) {
					throw new MalformedPacketException("Subscription Identifier 0 [MQTT-3.8.2.1.2]",
							ReasonCode.PROTOCOL_ERROR);
				}
				builder.subscriptionIdentifier(value);
			}
			case PacketProperties.SESSION_EXPIRY_INTERVAL -> builder.sessionExpiryInterval(fourBytes(in, what));
			case PacketProperties.ASSIGNED_CLIENT_IDENTIFIER ->
				builder.assignedClientIdentifier(WireFormat.readString(in, what));
			case PacketProperties.SERVER_KEEP_ALIVE -> builder.serverKeepAlive(twoBytes(in, what));
			case PacketProperties.AUTHENTICATION_METHOD ->
				builder.authenticationMethod(WireFormat.readString(in, what));
			case PacketProperties.AUTHENTICATION_DATA -> builder.authenticationData(WireFormat.readBinary(in, what));
			case PacketProperties.REQUEST_PROBLEM_INFORMATION ->
				builder.requestProblemInformation(flag(in, what, true));
			case PacketProperties.WILL_DELAY_INTERVAL -> builder.willDelayInterval(fourBytes(in, what));
			case PacketProperties.REQUEST_RESPONSE_INFORMATION ->
				builder.requestResponseInformation(flag(in, what, true));
			case PacketProperties.RESPONSE_INFORMATION -> builder.responseInformation(WireFormat.readString(in, what));
			case PacketProperties.SERVER_REFERENCE -> builder.serverReference(WireFormat.readString(in, what));
			case PacketProperties.REASON_STRING -> builder.reasonString(WireFormat.readString(in, what));
			case PacketProperties.RECEIVE_MAXIMUM -> {
				int value = twoBytes(in, what);
				if (value == 0) {
					throw new MalformedPacketException("Receive Maximum 0 [MQTT-3.1.2.11.3, MQTT-3.2.2.3.3]",
							ReasonCode.PROTOCOL_ERROR);
				}
				builder.receiveMaximum(value);
			}
			case PacketProperties.TOPIC_ALIAS_MAXIMUM -> builder.topicAliasMaximum(twoBytes(in, what));
			case PacketProperties.TOPIC_ALIAS -> {
				int value = twoBytes(in, what);
				if (value == 0) {
					throw new MalformedPacketException("Topic Alias 0 [MQTT-3.3.2-8]", ReasonCode.TOPIC_ALIAS_INVALID);
				}
				builder.topicAlias(value);
			}
			case PacketProperties.MAXIMUM_QOS -> builder.maximumQos(flag(in, what, true));
			case PacketProperties.RETAIN_AVAILABLE -> builder.retainAvailable(flag(in, what, true));
			case PacketProperties.USER_PROPERTY -> {
				// a UTF-8 string pair, both strings well-formed [MQTT-1.5.7-1]
				String name = WireFormat.readString(in, "User Property name");
				builder.userProperty(name, WireFormat.readString(in, "User Property value"));
			}
			case PacketProperties.MAXIMUM_PACKET_SIZE -> {
				long value = fourBytes(in, what);
				if (value == 0) {
					throw new MalformedPacketException("Maximum Packet Size 0 [MQTT-3.1.2.11.4, MQTT-3.2.2.3.6]",
							ReasonCode.PROTOCOL_ERROR);
				}
				builder.maximumPacketSize(value);
			}
			case PacketProperties.WILDCARD_SUBSCRIPTION_AVAILABLE ->
				builder.wildcardSubscriptionAvailable(flag(in, what, true));
			case PacketProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE ->
				builder.subscriptionIdentifierAvailable(flag(in, what, true));
			case PacketProperties.SHARED_SUBSCRIPTION_AVAILABLE ->
				builder.sharedSubscriptionAvailable(flag(in, what, true));
			default -> throw new MalformedPacketException("unknown property identifier 0x" + Integer.toHexString(id));
		}
	}

	private static void need(ByteBuf in, int size, String what) {
		if (in.readableBytes() < size) {
			throw new MalformedPacketException(what + ": " + size + "-byte value cut short by the property length");
		}
	}

	/**
	 * A byte that must be 0 or 1: a protocol error where the specification says so, else
	 * malformed.
	 */
	private static int flag(ByteBuf in, String what, boolean protocolError) {
		need(in, 1, what);
		int value = in.readUnsignedByte();
		if (value > 1) {
			throw new MalformedPacketException(what + " must be 0 or 1, was " + value,
					protocolError ? ReasonCode.PROTOCOL_ERROR : ReasonCode.MALFORMED_PACKET);
		}
		return value;
	}

	private static int twoBytes(ByteBuf in, String what) {
		need(in, 2, what);
		return in.readUnsignedShort();
	}

	private static long fourBytes(ByteBuf in, String what) {
		need(in, 4, what);
		return in.readUnsignedInt();
	}

}
