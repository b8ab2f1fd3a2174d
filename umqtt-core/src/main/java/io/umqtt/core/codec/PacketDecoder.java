package io.umqtt.core.codec;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.umqtt.core.ReasonCode;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.Disconnect;
import io.umqtt.core.packet.Packet;
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
 * Decodes packets from a stream of bytes. It first frames: the fixed header and the
 * remaining length say how long the packet is, and nothing is decoded until all of it has
 * arrived, so a stream split at any offset or many packets in one read decode the same.
 * The size is checked against the maximum before waiting for the bytes, and nothing is
 * allocated for a declared size. Then one {@code switch} decodes the packet from a slice
 * bounded by its remaining length, which it must consume exactly.
 * <p>
 * A PUBLISH, the packet that matters for speed, is decoded in place without a slice of
 * its body, and a topic name seen before is taken from a small cache instead of being
 * decoded and checked again. A decoded PUBLISH holds a retained slice of the input as its
 * payload, not a copy; the receiver releases it.
 * <p>
 * The protocol level is fixed per decoder: 3.1 and 3.1.1 (levels 3 and 4 decode alike),
 * or MQTT 5 (level 5), where packets carry properties and reason codes, AUTH exists, and
 * variable byte integers must use the fewest bytes [MQTT-1.5.5-1].
 * <p>
 * Not thread-safe, because of that cache: one decoder per connection, used by its event
 * loop (a client's connections all run on one event loop, so a client has one decoder).
 */
public final class PacketDecoder {

	/** The default maximum packet size: 64 MiB. */
	public static final int DEFAULT_MAX_PACKET_SIZE = 64 * 1024 * 1024;

	private final int maxPacketSize;

	private final boolean mqtt5;

	private final TopicCache topics = new TopicCache();

	/**
	 * An MQTT 3.1.1 decoder accepting packets of up to {@link #DEFAULT_MAX_PACKET_SIZE}
	 * bytes.
	 */
	public PacketDecoder() {
		this(DEFAULT_MAX_PACKET_SIZE);
	}

	/**
	 * An MQTT 3.1.1 decoder refusing packets larger than {@code maxPacketSize} bytes,
	 * fixed header included.
	 * @param maxPacketSize the largest packet accepted, at least 2
	 */
	public PacketDecoder(int maxPacketSize) {
		this(maxPacketSize, 4);
	}

	/**
	 * A decoder for a protocol level refusing packets larger than {@code maxPacketSize}
	 * bytes, fixed header included.
	 * @param maxPacketSize the largest packet accepted, at least 2
	 * @param protocolLevel 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0)
	 */
	public PacketDecoder(int maxPacketSize, int protocolLevel) {
		if (maxPacketSize < 2) {
			throw new IllegalArgumentException("Maximum packet size must be at least 2 bytes");
		}
		if (protocolLevel < 3 || protocolLevel > 5) {
			throw new IllegalArgumentException("Protocol level must be 3, 4 or 5, was " + protocolLevel);
		}
		this.maxPacketSize = maxPacketSize;
		this.mqtt5 = protocolLevel == 5;
	}

	/** Whether this decoder reads MQTT 5. */
	public boolean mqtt5() {
		return this.mqtt5;
	}

	/** The largest packet accepted, in bytes. */
	public int maxPacketSize() {
		return this.maxPacketSize;
	}

	/**
	 * Decodes the next packet when all of it is in {@code in}, consuming exactly its
	 * bytes.
	 * @param in bytes read so far
	 * @return the packet, or {@code null} when more bytes are needed (nothing is
	 * consumed)
	 * @throws MalformedPacketException when the bytes break a rule or the packet is too
	 * large
	 */
	public Packet decode(ByteBuf in) {
		int start = in.readerIndex();
		int readable = in.readableBytes();
		if (readable < 2) {
			return null;
		}
		int first = in.getUnsignedByte(start);
		checkFixedHeaderFlags(first, this.mqtt5);
		int remaining = 0;
		int headerSize = 1;
		for (int shift = 0;; shift += 7) {
			if (headerSize == 5) {
				throw new MalformedPacketException("Remaining length longer than 4 bytes [MQTT-2.2.3]");
			}
			if (headerSize >= readable) {
				return null;
			}
			int digit = in.getUnsignedByte(start + headerSize);
			headerSize++;
			remaining |= (digit & 0x7F) << shift;
			if ((digit & 0x80) == 0) {
				if (digit == 0 && headerSize > 2 && this.mqtt5) {
					throw new MalformedPacketException("Remaining length not in the fewest bytes [MQTT-1.5.5-1]");
				}
				break;
			}
		}
		long total = (long) headerSize + remaining;
		if (total > this.maxPacketSize) {
			throw new MalformedPacketException("Packet of " + total + " bytes (type " + (first >> 4)
					+ ") exceeds the maximum packet size of " + this.maxPacketSize + " bytes",
					ReasonCode.PACKET_TOO_LARGE);
		}
		if (readable < total) {
			return null;
		}
		int type = first >> 4;
		if (type == 3) {
			in.readerIndex(start + (int) total);
			if (this.mqtt5) {
				return Mqtt5Decoding.publish(this, first, in, start + headerSize, remaining);
			}
			return decodePublish(first, in, start + headerSize, remaining);
		}
		// the acknowledgements, every one a packet id alone (on 5: reason code Success,
		// no properties)
		if (remaining == 2 && (type == 4 || type == 5 || type == 6 || type == 7 || (type == 11 && !this.mqtt5))) {
			in.readerIndex(start + 4);
			return acknowledgement(type, in.getUnsignedShort(start + 2));
		}
		// on 5 the same with a reason code and no properties (Mosquitto's PUBACK 0x10 No
		// matching subscribers): read in place, no slice
		if (this.mqtt5 && type >= 4 && type <= 7
				&& (remaining == 3 || (remaining == 4 && in.getUnsignedByte(start + 5) == 0))) {
			in.readerIndex(start + (int) total);
			return Mqtt5Decoding.acknowledgement(type, in.getUnsignedShort(start + 2), in.getUnsignedByte(start + 4));
		}
		ByteBuf body = in.slice(start + headerSize, remaining);
		in.readerIndex(start + (int) total);
		Packet packet = this.mqtt5 ? Mqtt5Decoding.body(type, body) : decodeBody(first, body);
		if (body.isReadable()) {
			throw new MalformedPacketException(name(first >> 4) + " has " + body.readableBytes()
					+ " bytes beyond its content within the remaining length");
		}
		return packet;
	}

	/**
	 * Decodes every whole packet in {@code in}.
	 * @param in bytes read so far
	 * @return the packets, in order; the bytes of an incomplete last packet stay in
	 * {@code in}
	 */
	public List<Packet> decodeAll(ByteBuf in) {
		List<Packet> packets = new ArrayList<>();
		Packet packet;
		while ((packet = decode(in)) != null) {
			packets.add(packet);
		}
		return packets;
	}

	private static void checkFixedHeaderFlags(int first, boolean mqtt5) {
		int type = first >> 4;
		int flags = first & 0x0F;
		switch (type) {
			case 0 -> throw new MalformedPacketException("Packet type " + type + " is reserved [MQTT-2.2.1]");
			case 15 -> {
				if (!mqtt5) {
					throw new MalformedPacketException("Packet type 15 is reserved [MQTT-2.2.1]");
				}
				if (flags != 0) {
					throw new MalformedPacketException(
							"AUTH fixed header flags must be 0000, were " + bits(flags) + " [MQTT-3.15.1-1]");
				}
			}
			case 3 -> {
				if ((flags & 0x06) == 0x06) {
					throw new MalformedPacketException("PUBLISH with QoS 3 [MQTT-3.3.1-4]");
				}
			}
			case 6, 8, 10 -> {
				if (flags != 0x02) {
					throw new MalformedPacketException(
							name(type) + " fixed header flags must be 0010, were " + bits(flags) + " [MQTT-"
									+ ((type == 6) ? "3.6.1-1" : (type == 8) ? "3.8.1-1" : "3.10.1-1") + "]");
				}
			}
			default -> {
				if (flags != 0) {
					// the rule is numbered differently on 3.1.1 and 5, and 5 names
					// DISCONNECT's own
					String rule = !mqtt5 ? "MQTT-2.2.2-1" : (type == 14) ? "MQTT-3.14.1-1" : "MQTT-2.1.3-1";
					throw new MalformedPacketException(
							name(type) + " fixed header flags must be 0000, were " + bits(flags) + " [" + rule + "]");
				}
			}
		}
	}

	private static Packet decodeBody(int first, ByteBuf body) {
		int type = first >> 4;
		return switch (type) {
			case 1 -> decodeConnect(body);
			case 2 -> decodeConnAck(body);
			case 4 -> new PubAck(packetId(body, "PUBACK"));
			case 5 -> new PubRec(packetId(body, "PUBREC"));
			case 6 -> new PubRel(packetId(body, "PUBREL"));
			case 7 -> new PubComp(packetId(body, "PUBCOMP"));
			case 8 -> decodeSubscribe(body);
			case 9 -> decodeSubAck(body);
			case 10 -> decodeUnsubscribe(body);
			case 11 -> new UnsubAck(packetId(body, "UNSUBACK"));
			case 12 -> PingReq.INSTANCE;
			case 13 -> PingResp.INSTANCE;
			case 14 -> Disconnect.INSTANCE;
			default -> throw new MalformedPacketException("Packet type " + type + " is reserved [MQTT-2.2.1]");
		};
	}

	private static Packet acknowledgement(int type, int packetId) {
		if (packetId == 0) {
			throw new MalformedPacketException(name(type) + " with packet identifier 0 [MQTT-2.3.1-1]");
		}
		return switch (type) {
			case 4 -> new PubAck(packetId);
			case 5 -> new PubRec(packetId);
			case 6 -> new PubRel(packetId);
			case 7 -> new PubComp(packetId);
			default -> new UnsubAck(packetId);
		};
	}

	private static int packetId(ByteBuf body, String what) {
		if (body.readableBytes() < 2) {
			throw new MalformedPacketException(what + " is missing its packet identifier");
		}
		int id = body.readUnsignedShort();
		if (id == 0) {
			throw new MalformedPacketException(what + " with packet identifier 0 [MQTT-2.3.1-1]");
		}
		return id;
	}

	/**
	 * Decodes a PUBLISH from {@code in[index, index + remaining)} by absolute index,
	 * without moving the reader index.
	 */
	private Publish decodePublish(int first, ByteBuf in, int index, int remaining) {
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
		String topic = topicName(in, position, topicLength);
		position += topicLength;
		int packetId = 0;
		if (qos > 0) {
			if (end - position < 2) {
				throw new MalformedPacketException("PUBLISH is missing its packet identifier");
			}
			packetId = in.getUnsignedShort(position);
			if (packetId == 0) {
				throw new MalformedPacketException("PUBLISH with packet identifier 0 [MQTT-2.3.1-1]");
			}
			position += 2;
		}
		return new Publish(topic, qos, retain, dup, packetId, in.retainedSlice(position, end - position));
	}

	String topicName(ByteBuf in, int index, int length) {
		String topic = this.topics.decoded(in, index, length);
		if (topic != null) {
			return topic;
		}
		topic = WireFormat.decodeUtf8(in, index, length, "PUBLISH topic name");
		String problem = TopicName.problem(topic);
		if (problem != null) {
			throw new MalformedPacketException("PUBLISH " + problem);
		}
		this.topics.remember(length, topic);
		return topic;
	}

	private static ConnAck decodeConnAck(ByteBuf body) {
		if (body.readableBytes() != 2) {
			throw new MalformedPacketException("CONNACK remaining length must be 2, was " + body.readableBytes());
		}
		int flags = body.readUnsignedByte();
		if ((flags & 0xFE) != 0) {
			throw new MalformedPacketException("CONNACK acknowledge flags bits 7-1 are reserved [MQTT-3.2.2-1]");
		}
		return new ConnAck((flags & 1) != 0, body.readUnsignedByte());
	}

	private static Connect decodeConnect(ByteBuf body) {
		String protocolName = WireFormat.readString(body, "CONNECT protocol name");
		if (body.readableBytes() < 4) {
			throw new MalformedPacketException("CONNECT variable header cut short");
		}
		int level = body.readUnsignedByte();
		if (!("MQTT".equals(protocolName) && level == Connect.MQTT_3_1_1)
				&& !("MQIsdp".equals(protocolName) && level == Connect.MQTT_3_1)) {
			throw new MalformedPacketException("CONNECT protocol " + protocolName + " level " + level
					+ " is neither MQTT 4 nor MQIsdp 3 [MQTT-3.1.2-1, MQTT-3.1.2-2]");
		}
		int flags = checkConnectFlags(body.readUnsignedByte(), "MQTT-3.1.2-13, MQTT-3.1.2-15", "MQTT-3.1.2-14");
		boolean hasWill = (flags & 0x04) != 0;
		int willQos = (flags >> 3) & 0x03;
		boolean willRetain = (flags & 0x20) != 0;
		boolean hasPassword = (flags & 0x40) != 0;
		boolean hasUsername = (flags & 0x80) != 0;
		if (hasPassword && !hasUsername) {
			throw new MalformedPacketException("CONNECT password flag without user name flag [MQTT-3.1.2-22]");
		}
		int keepAlive = body.readUnsignedShort();
		String clientId = WireFormat.readString(body, "CONNECT client identifier");
		Will will = null;
		if (hasWill) {
			String willTopic = WireFormat.readString(body, "CONNECT will topic");
			String problem = TopicName.problem(willTopic);
			if (problem != null) {
				throw new MalformedPacketException("CONNECT will " + problem);
			}
			will = new Will(willTopic, WireFormat.readBinary(body, "CONNECT will message"), willQos, willRetain);
		}
		String username = hasUsername ? WireFormat.readString(body, "CONNECT user name") : null;
		byte[] password = hasPassword ? WireFormat.readBinary(body, "CONNECT password") : null;
		return new Connect(level, (flags & 0x02) != 0, keepAlive, clientId, will, username, password);
	}

	private static Subscribe decodeSubscribe(ByteBuf body) {
		int packetId = packetId(body, "SUBSCRIBE");
		List<Subscription> subscriptions = new ArrayList<>();
		while (body.isReadable()) {
			String filter = WireFormat.readString(body, "SUBSCRIBE topic filter");
			String problem = TopicFilter.problem(filter);
			if (problem != null) {
				throw new MalformedPacketException("SUBSCRIBE " + problem);
			}
			if (!body.isReadable()) {
				throw new MalformedPacketException("SUBSCRIBE topic filter without requested QoS");
			}
			int options = body.readUnsignedByte();
			if ((options & 0xFC) != 0 || (options & 0x03) == 3) {
				throw new MalformedPacketException(
						"SUBSCRIBE requested QoS byte " + options + " is malformed [MQTT-3.8.3-4]");
			}
			subscriptions.add(new Subscription(filter, options));
		}
		if (subscriptions.isEmpty()) {
			throw new MalformedPacketException("SUBSCRIBE without topic filters [MQTT-3.8.3-3]");
		}
		return new Subscribe(packetId, subscriptions);
	}

	private static SubAck decodeSubAck(ByteBuf body) {
		int packetId = packetId(body, "SUBACK");
		List<Integer> codes = new ArrayList<>(body.readableBytes());
		while (body.isReadable()) {
			int code = body.readUnsignedByte();
			if (code != SubAck.FAILURE && code > 2) {
				throw new MalformedPacketException(
						"SUBACK return code 0x" + Integer.toHexString(code) + " is reserved [MQTT-3.9.3-2]");
			}
			codes.add(code);
		}
		if (codes.isEmpty()) {
			throw new MalformedPacketException("SUBACK without return codes");
		}
		return new SubAck(packetId, codes);
	}

	private static Unsubscribe decodeUnsubscribe(ByteBuf body) {
		int packetId = packetId(body, "UNSUBSCRIBE");
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
			throw new MalformedPacketException("UNSUBSCRIBE without topic filters [MQTT-3.10.3-2]");
		}
		return new Unsubscribe(packetId, filters);
	}

	static String name(int type) {
		return switch (type) {
			case 1 -> "CONNECT";
			case 2 -> "CONNACK";
			case 3 -> "PUBLISH";
			case 4 -> "PUBACK";
			case 5 -> "PUBREC";
			case 6 -> "PUBREL";
			case 7 -> "PUBCOMP";
			case 8 -> "SUBSCRIBE";
			case 9 -> "SUBACK";
			case 10 -> "UNSUBSCRIBE";
			case 11 -> "UNSUBACK";
			case 12 -> "PINGREQ";
			case 13 -> "PINGRESP";
			case 14 -> "DISCONNECT";
			case 15 -> "AUTH";
			default -> "type " + type;
		};
	}

	private static String bits(int flags) {
		return String.format("%4s", Integer.toBinaryString(flags)).replace(' ', '0');
	}

	/**
	 * The CONNECT flags, checked as 3.1.1 and 5 both have them: the reserved bit, and the
	 * will's QoS and retain; the statement numbers differ between the two.
	 */
	static int checkConnectFlags(int flags, String noWillRules, String qos3Rule) {
		if ((flags & 0x01) != 0) {
			throw new MalformedPacketException("CONNECT reserved flag must be 0 [MQTT-3.1.2-3]");
		}
		int willQos = (flags >> 3) & 0x03;
		if ((flags & 0x04) == 0 && (willQos != 0 || (flags & 0x20) != 0)) {
			throw new MalformedPacketException(
					"CONNECT will QoS and retain must be 0 without a will [" + noWillRules + "]");
		}
		if (willQos == 3) {
			throw new MalformedPacketException("CONNECT will QoS 3 [" + qos3Rule + "]");
		}
		return flags;
	}

}
