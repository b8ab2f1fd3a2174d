package io.umqtt.core.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.umqtt.core.ReasonCode;
import io.umqtt.core.packet.Auth;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.Disconnect;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.Publish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.umqtt.core.codec.Bytes.bytes;
import static io.umqtt.core.codec.Bytes.concat;
import static io.umqtt.core.codec.Bytes.decode5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the MQTT 5 decoder refuses, each case naming the rule and the reason code of the
 * DISCONNECT that answers it (0x81 Malformed Packet, 0x82 Protocol Error, 0x94 Topic
 * Alias invalid).
 */
class Mqtt5MalformedPacketTests {

	static Stream<Arguments> malformed() {
		return Stream.of(
				Arguments.of("5-byte remaining length [MQTT-1.5.5]", bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
						"longer than 4 bytes", 0x81),
				Arguments.of("remaining length not in the fewest bytes [MQTT-1.5.5-1]", bytes(0xE0, 0x80, 0x00),
						"[MQTT-1.5.5-1]", 0x81),
				Arguments.of("property length not in the fewest bytes [MQTT-1.5.5-1]",
						bytes(0x40, 0x05, 0x00, 0x01, 0x00, 0x80, 0x00), "[MQTT-1.5.5-1]", 0x81),
				Arguments.of("property length of 5 bytes [MQTT-1.5.5]",
						bytes(0x40, 0x08, 0x00, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x01), "longer than 4 bytes", 0x81),
				Arguments.of("subscription identifier not in the fewest bytes [MQTT-1.5.5-1]",
						bytes(0x30, 0x08, 0x00, 0x01, 't', 0x03, 0x0B, 0x81, 0x00, 'x'), "[MQTT-1.5.5-1]", 0x81),
				Arguments.of("property length beyond the remaining length [MQTT-2.2.2]",
						bytes(0x40, 0x06, 0x00, 0x01, 0x00, 0x09, 0x1F, 0x00), "is more than the 2 bytes left", 0x81),
				Arguments.of("PUBLISH property length beyond the remaining length [MQTT-2.2.2]",
						bytes(0x30, 0x05, 0x00, 0x01, 't', 0x05, 0x01), "is more than the 1 bytes left", 0x81),
				Arguments.of("PUBLISH without a property length [MQTT-3.3.2.3.1]", bytes(0x30, 0x03, 0x00, 0x01, 't'),
						"property length", 0x81),
				Arguments.of("string property cut short by the property length",
						bytes(0x40, 0x08, 0x00, 0x01, 0x00, 0x04, 0x1F, 0x00, 0x05, 'a'), "declares 5 bytes", 0x81),
				Arguments.of("four-byte property cut short [MQTT-2.2.2.2]",
						bytes(0xE0, 0x05, 0x00, 0x03, 0x11, 0x00, 0x00), "cut short by the property length", 0x81),
				Arguments.of("invalid UTF-8 in a reason string [MQTT-1.5.4-1]",
						bytes(0x40, 0x08, 0x00, 0x01, 0x80, 0x04, 0x1F, 0x00, 0x01, 0xC3), "not well-formed UTF-8",
						0x81),
				Arguments.of("U+0000 in a user property name [MQTT-1.5.4-2, MQTT-1.5.7-1]",
						bytes(0x40, 0x0B, 0x00, 0x01, 0x00, 0x07, 0x26, 0x00, 0x01, 0x00, 0x00, 0x01, 'v'), "U+0000",
						0x81),
				Arguments.of("user property without its value [MQTT-1.5.7-1]",
						bytes(0x40, 0x08, 0x00, 0x01, 0x00, 0x04, 0x26, 0x00, 0x01, 'k'), "User Property value", 0x81),
				Arguments.of("unknown property identifier 0x7F [MQTT-2.2.2.2]",
						bytes(0x40, 0x06, 0x00, 0x01, 0x00, 0x02, 0x7F, 0x00), "unknown property identifier 0x7f",
						0x81),
				Arguments.of("Session Expiry Interval on PUBLISH [MQTT-2.2.2.2]",
						bytes(0x30, 0x0A, 0x00, 0x01, 't', 0x05, 0x11, 0x00, 0x00, 0x00, 0x01, 'x'),
						"Session Expiry Interval (0x11) is not a property of PUBLISH", 0x81),
				Arguments.of("Content Type on PUBACK [MQTT-2.2.2.2]",
						bytes(0x40, 0x08, 0x00, 0x01, 0x00, 0x04, 0x03, 0x00, 0x01, 'a'),
						"Content Type (0x3) is not a property of PUBACK", 0x81),
				Arguments.of("Reason String twice [MQTT-2.2.2.2]",
						bytes(0x40, 0x0C, 0x00, 0x01, 0x80, 0x08, 0x1F, 0x00, 0x01, 'a', 0x1F, 0x00, 0x01, 'b'),
						"Reason String more than once", 0x82),
				Arguments.of("Subscription Identifier twice on SUBSCRIBE [MQTT-3.8.2.1.2]",
						bytes(0x82, 0x0A, 0x00, 0x01, 0x04, 0x0B, 0x01, 0x0B, 0x02, 0x00, 0x01, 'a', 0x00),
						"Subscription Identifier more than once", 0x82),
				Arguments.of("Subscription Identifier 0 [MQTT-3.8.2.1.2]",
						bytes(0x82, 0x08, 0x00, 0x01, 0x02, 0x0B, 0x00, 0x00, 0x01, 'a', 0x00),
						"Subscription Identifier 0", 0x82),
				Arguments.of("Topic Alias 0 [MQTT-3.3.2-8]",
						bytes(0x30, 0x08, 0x00, 0x01, 't', 0x03, 0x23, 0x00, 0x00, 'x'), "Topic Alias 0", 0x94),
				Arguments.of("empty topic name without a Topic Alias [MQTT-3.3.2.3.4]",
						bytes(0x30, 0x04, 0x00, 0x00, 0x00, 'x'), "empty topic name and no Topic Alias", 0x82),
				Arguments.of("wildcard in a Response Topic [MQTT-3.3.2-14]",
						bytes(0x30, 0x09, 0x00, 0x01, 't', 0x04, 0x08, 0x00, 0x01, '#', 'x'), "[MQTT-3.3.2-14]", 0x82),
				Arguments.of("Payload Format Indicator 2 [MQTT-3.3.2.3.2]",
						bytes(0x30, 0x07, 0x00, 0x01, 't', 0x02, 0x01, 0x02, 'x'),
						"Payload Format Indicator must be 0 or 1", 0x81),
				Arguments.of("Receive Maximum 0 [MQTT-3.2.2.3.3]",
						bytes(0x20, 0x06, 0x00, 0x00, 0x03, 0x21, 0x00, 0x00), "Receive Maximum 0", 0x82),
				Arguments.of("Maximum Packet Size 0 [MQTT-3.2.2.3.6]",
						bytes(0x20, 0x08, 0x00, 0x00, 0x05, 0x27, 0x00, 0x00, 0x00, 0x00), "Maximum Packet Size 0",
						0x82),
				Arguments.of("Maximum QoS 2 [MQTT-3.2.2.3.4]", bytes(0x20, 0x05, 0x00, 0x00, 0x02, 0x24, 0x02),
						"Maximum QoS must be 0 or 1", 0x82),
				Arguments.of("Retain Available 2 [MQTT-3.2.2.3.5]", bytes(0x20, 0x05, 0x00, 0x00, 0x02, 0x25, 0x02),
						"Retain Available must be 0 or 1", 0x82),
				Arguments.of("Request Problem Information 2 [MQTT-3.1.2.11.7]",
						concat(bytes(0x10, 0x0F, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x00, 0x02, 0x17,
								0x02, 0x00, 0x00)),
						"Request Problem Information must be 0 or 1", 0x82),
				Arguments.of("Authentication Data without Authentication Method [MQTT-3.1.2.11.10]",
						bytes(0x20, 0x07, 0x00, 0x00, 0x04, 0x16, 0x00, 0x01, 0x09), "without an Authentication Method",
						0x82),
				Arguments.of("Will Delay Interval in CONNECT's own properties [MQTT-2.2.2.2]",
						bytes(0x10, 0x12, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x00, 0x05, 0x18, 0x00,
								0x00, 0x00, 0x01, 0x00, 0x00),
						"Will Delay Interval (0x18) is not a property of CONNECT", 0x81),
				Arguments.of("CONNECT at level 4 to an MQTT 5 decoder [MQTT-3.1.2-2]",
						bytes(0x10, 0x0C, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x00, 0x00, 0x00),
						"is not MQTT 5", 0x81),
				Arguments.of("CONNECT protocol name MQIsdp at level 5 [MQTT-3.1.2-1]",
						bytes(0x10, 0x0F, 0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', 0x05, 0x02, 0x00, 0x00, 0x00, 0x00,
								0x00),
						"is not MQTT 5 [MQTT-3.1.2-1", 0x81),
				Arguments.of("CONNECT reserved flag 1 [MQTT-3.1.2-3]",
						bytes(0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00),
						"[MQTT-3.1.2-3]", 0x81),
				Arguments.of("CONNECT will QoS 1 without a will [MQTT-3.1.2-11]",
						bytes(0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00),
						"[MQTT-3.1.2-11", 0x81),
				Arguments.of("CONNECT will retain without a will [MQTT-3.1.2-13]",
						bytes(0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00),
						"MQTT-3.1.2-13]", 0x81),
				Arguments.of("PUBACK fixed header flags 0001 [MQTT-2.1.3-1]", bytes(0x41, 0x02, 0x00, 0x01),
						"[MQTT-2.1.3-1]", 0x81),
				Arguments.of("PINGRESP fixed header flags 1000 [MQTT-2.1.3-1]", bytes(0xD8, 0x00), "[MQTT-2.1.3-1]",
						0x81),
				Arguments.of("DISCONNECT fixed header flags 0001 [MQTT-3.14.1-1]", bytes(0xE1, 0x00), "[MQTT-3.14.1-1]",
						0x81),
				Arguments.of("CONNECT will QoS 3 [MQTT-3.1.2-12]",
						bytes(0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x1E, 0x00, 0x00, 0x00, 0x00, 0x00),
						"[MQTT-3.1.2-12]", 0x81),
				Arguments.of("CONNACK refusing with Session Present [MQTT-3.2.2-6]",
						bytes(0x20, 0x03, 0x01, 0x87, 0x00), "[MQTT-3.2.2-6]", 0x82),
				Arguments.of("CONNACK reason code 0x03 [MQTT-3.2.2-8]", bytes(0x20, 0x03, 0x00, 0x03, 0x00),
						"CONNACK reason code 0x03", 0x81),
				Arguments.of("CONNACK reserved flags [MQTT-3.2.2-1]", bytes(0x20, 0x03, 0x02, 0x00, 0x00),
						"[MQTT-3.2.2-1]", 0x81),
				Arguments.of("CONNACK without a property length", bytes(0x20, 0x02, 0x00, 0x00),
						"CONNACK needs flags, a reason code and a property length", 0x81),
				Arguments.of("PUBLISH QoS 3 [MQTT-3.3.1-4]", bytes(0x36, 0x06, 0x00, 0x01, 't', 0x00, 0x01, 0x00),
						"[MQTT-3.3.1-4]", 0x81),
				Arguments.of("PUBLISH QoS 0 with DUP [MQTT-3.3.1-2]", bytes(0x38, 0x04, 0x00, 0x01, 't', 0x00),
						"[MQTT-3.3.1-2]", 0x81),
				Arguments.of("PUBACK reason code 0x92 [MQTT-3.4.2-1]", bytes(0x40, 0x03, 0x00, 0x01, 0x92),
						"PUBACK reason code 0x92", 0x81),
				Arguments.of("PUBREC reason code 0x04 [MQTT-3.5.2-1]", bytes(0x50, 0x03, 0x00, 0x01, 0x04),
						"PUBREC reason code 0x04", 0x81),
				Arguments.of("PUBREL reason code 0x80 [MQTT-3.6.2-1]", bytes(0x62, 0x03, 0x00, 0x01, 0x80),
						"PUBREL reason code 0x80", 0x81),
				Arguments.of("PUBREL flags 0000 [MQTT-3.6.1-1]", bytes(0x60, 0x02, 0x00, 0x01), "[MQTT-3.6.1-1]", 0x81),
				Arguments.of("PUBCOMP reason code 0x10 [MQTT-3.7.2-1]", bytes(0x70, 0x03, 0x00, 0x01, 0x10),
						"PUBCOMP reason code 0x10", 0x81),
				Arguments.of("SUBACK reason code 0x11 [MQTT-3.9.3-2]", bytes(0x90, 0x04, 0x00, 0x01, 0x00, 0x11),
						"SUBACK reason code 0x11", 0x81),
				Arguments.of("SUBACK without reason codes [MQTT-3.9.3-2]", bytes(0x90, 0x03, 0x00, 0x01, 0x00),
						"without reason codes", 0x82),
				Arguments.of("UNSUBACK reason code 0x02 [MQTT-3.11.3-2]", bytes(0xB0, 0x04, 0x00, 0x01, 0x00, 0x02),
						"UNSUBACK reason code 0x02", 0x81),
				Arguments.of("UNSUBACK without reason codes [MQTT-3.11.3-2]", bytes(0xB0, 0x02, 0x00, 0x01),
						"property length", 0x81),
				Arguments.of("DISCONNECT reason code 0x01 [MQTT-3.14.2-1]", bytes(0xE0, 0x01, 0x01),
						"DISCONNECT reason code 0x01", 0x81),
				Arguments.of("AUTH reason code 0x01 [MQTT-3.15.2-1]", bytes(0xF0, 0x01, 0x01), "AUTH reason code 0x01",
						0x81),
				Arguments.of("AUTH flags 0001 [MQTT-3.15.1-1]", bytes(0xF1, 0x00), "[MQTT-3.15.1-1]", 0x81),
				Arguments.of("AUTH continuing without an Authentication Method [MQTT-3.15.2.2.2]",
						bytes(0xF0, 0x02, 0x18, 0x00), "AUTH without an Authentication Method", 0x82),
				Arguments.of("AUTH carrying a Topic Alias [MQTT-2.2.2.2]",
						bytes(0xF0, 0x05, 0x18, 0x03, 0x23, 0x00, 0x01), "Topic Alias (0x23) is not a property of AUTH",
						0x81),
				Arguments.of("SUBSCRIBE reserved option bits [MQTT-3.8.3-5]",
						bytes(0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x40), "[MQTT-3.8.3-5]", 0x81),
				Arguments.of("SUBSCRIBE Retain Handling 3 [MQTT-3.8.3.1]",
						bytes(0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x30), "Retain Handling 3", 0x82),
				Arguments.of("SUBSCRIBE No Local on a shared subscription [MQTT-3.8.3-4]",
						bytes(0x82, 0x10, 0x00, 0x01, 0x00, 0x00, 0x0A, '$', 's', 'h', 'a', 'r', 'e', '/', 'g', '/',
								'a', 0x04),
						"[MQTT-3.8.3-4]", 0x82),
				Arguments.of("SUBSCRIBE QoS 3", bytes(0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x03), "QoS 3",
						0x81),
				Arguments.of("SUBSCRIBE without topic filters [MQTT-3.8.3-2]", bytes(0x82, 0x03, 0x00, 0x01, 0x00),
						"without topic filters", 0x82),
				Arguments.of("UNSUBSCRIBE without topic filters [MQTT-3.10.3-2]", bytes(0xA2, 0x03, 0x00, 0x01, 0x00),
						"without topic filters", 0x82),
				Arguments.of("PUBACK bytes beyond its properties", bytes(0x40, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00),
						"beyond its content", 0x81));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformed")
	void mqtt5DecoderRefusesWithTheRuleAndItsReasonCode(String rule, byte[] wire, String message, int reasonCode) {
		assertThatExceptionOfType(MalformedPacketException.class).isThrownBy(() -> decode5(wire))
			.withMessageContaining(message)
			.satisfies((ex) -> assertThat(ex.reasonCode()).as("reason code").isEqualTo(reasonCode));
	}

	/**
	 * Every identifier that table 2-4 does not define is malformed, whatever the packet
	 * [MQTT-2.2.2.2].
	 */
	@Test
	void everyUndefinedPropertyIdentifierIsMalformed() {
		for (int id = 0; id < 0x80; id++) {
			if (!PropertyCodec.name(id).startsWith("unknown")) {
				continue;
			}
			int identifier = id;
			// DISCONNECT 0x00, property length 2, the identifier and one byte
			assertThatExceptionOfType(MalformedPacketException.class)
				.isThrownBy(() -> decode5(bytes(0xE0, 0x04, 0x00, 0x02, identifier, 0x00)))
				.withMessageContaining("unknown property identifier")
				.satisfies((ex) -> assertThat(ex.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET));
		}
	}

	static Stream<Arguments> propertyOnEveryPacketThatMayNotCarryIt() {
		List<Arguments> cases = new ArrayList<>();
		for (int id = 0; id <= 0x2A; id++) {
			PacketProperties sample = Mqtt5CodecTests.sample(id);
			if (sample == null) {
				continue;
			}
			for (int type : new int[] { PropertyCodec.WILL, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15 }) {
				if (!PropertyCodec.allowed(id, type)) {
					cases.add(Arguments.of(PropertyCodec.name(id), id, type));
				}
			}
		}
		return cases.stream();
	}

	/**
	 * Each defined property, read as part of a packet that may not carry it, is malformed
	 * [MQTT-2.2.2.2]; and the encoder refuses to write it there.
	 */
	@ParameterizedTest(name = "{0} on packet type {2}")
	@MethodSource
	void propertyOnEveryPacketThatMayNotCarryIt(String name, int id, int type) {
		byte[] property = propertyBytes(id);
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> PropertyCodec.readProperties(Unpooled.wrappedBuffer(property), type))
			.withMessageContaining("is not a property of");
		PacketProperties sample = Mqtt5CodecTests.sample(id);
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> PropertyCodec.size(sample, type))
			.withMessageContaining("is not a property of");
	}

	static Stream<Arguments> repeatableOrNot() {
		List<Arguments> cases = new ArrayList<>();
		for (int id = 0; id <= 0x2A; id++) {
			if (Mqtt5CodecTests.sample(id) == null) {
				continue;
			}
			for (int type : new int[] { PropertyCodec.WILL, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15 }) {
				if (PropertyCodec.allowed(id, type)) {
					cases.add(Arguments.of(PropertyCodec.name(id), id, type));
				}
			}
		}
		return cases.stream();
	}

	/**
	 * A property twice is a protocol error, except User Property anywhere and
	 * Subscription Identifier on PUBLISH, which may repeat [MQTT-2.2.2.2, MQTT-3.3.2.3.8,
	 * MQTT-3.3.4-3].
	 */
	@ParameterizedTest(name = "{0} twice on packet type {2}")
	@MethodSource("repeatableOrNot")
	void aPropertyTwiceIsAProtocolErrorUnlessTheSpecificationLetsItRepeat(String name, int id, int type) {
		byte[] property = propertyBytes(id);
		ByteBuf twice = Unpooled.wrappedBuffer(concat(property, property));
		boolean repeatable = id == PacketProperties.USER_PROPERTY
				|| (id == PacketProperties.SUBSCRIPTION_IDENTIFIER && type == 3);
		if (repeatable) {
			PacketProperties read = PropertyCodec.readProperties(twice, type);
			assertThat(read.userProperties().size() + read.subscriptionIdentifiers().size()).isEqualTo(2);
		}
		else {
			assertThatExceptionOfType(MalformedPacketException.class)
				.isThrownBy(() -> PropertyCodec.readProperties(twice, type))
				.withMessageContaining("more than once")
				.satisfies((ex) -> assertThat(ex.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR));
		}
	}

	/**
	 * Every code the packet's table does not list is refused on decode [MQTT-3.x.2-1 per
	 * packet].
	 */
	@ParameterizedTest
	@ValueSource(ints = { 2, 4, 5, 6, 7, 9, 11, 14, 15 })
	void everyReasonCodeOutsideThePacketsTableIsRefused(int type) {
		int accepted = 0;
		for (int code = 0; code < 256; code++) {
			byte[] wire = switch (type) {
				case 2 -> bytes(0x20, 0x03, 0x00, code, 0x00);
				case 4, 5, 7 -> bytes(type << 4, 0x03, 0x00, 0x01, code);
				case 6 -> bytes(0x62, 0x03, 0x00, 0x01, code);
				case 9 -> bytes(0x90, 0x04, 0x00, 0x01, 0x00, code);
				case 11 -> bytes(0xB0, 0x04, 0x00, 0x01, 0x00, code);
				case 14 -> bytes(0xE0, 0x01, code);
				default -> bytes(0xF0, 0x06, code, 0x04, 0x15, 0x00, 0x01, 'm');
			};
			if (ReasonCode.allowed(type, code)) {
				assertThat(decode5(wire).type()).isEqualTo(type);
				accepted++;
			}
			else if (type == 2 && code == 0x01) {
				// 3.1.1's unacceptable protocol version: a server that does not speak 5
				assertThat(((ConnAck) decode5(wire)).reasonCode()).isEqualTo(0x84);
			}
			else {
				assertThatExceptionOfType(MalformedPacketException.class).isThrownBy(() -> decode5(wire))
					.withMessageContaining("reason code " + ReasonCode.hex(code));
			}
		}
		int expected = switch (type) {
			case 2 -> 22;
			case 4, 5 -> 9;
			case 6, 7 -> 2;
			case 9 -> 12;
			case 11 -> 7;
			case 14 -> 29;
			default -> 3;
		};
		assertThat(accepted).isEqualTo(expected);
	}

	@Test
	void authIsAReservedTypeToTheMqtt311Decoder() {
		assertThatExceptionOfType(MalformedPacketException.class).isThrownBy(() -> Bytes.decode(bytes(0xF0, 0x00)))
			.withMessageContaining("type 15 is reserved");
		assertThat(decode5(bytes(0xF0, 0x00))).isEqualTo(new Auth(0, PacketProperties.NONE));
	}

	@Test
	void theMqtt311DecoderStillAcceptsWhatItAcceptedBefore() {
		// a non-minimal remaining length: 3.1.1 does not forbid it, 5 does [MQTT-1.5.5-1]
		assertThat(Bytes.decode(bytes(0xE0, 0x80, 0x00))).isEqualTo(Disconnect.INSTANCE);
		// an empty topic is never valid on 3.1.1 [MQTT-4.7.3-1]
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> Bytes.decode(bytes(0x30, 0x03, 0x00, 0x00, 0x00)))
			.withMessageContaining("[MQTT-4.7.3-1]");
	}

	@Test
	void aTooLargePacketCarriesPacketTooLarge() {
		PacketDecoder decoder = new PacketDecoder(16, 5);
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> decoder.decode(Unpooled.wrappedBuffer(bytes(0x30, 0x7F))))
			.satisfies((ex) -> assertThat(ex.reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE));
	}

	@Test
	void subscriptionIdentifiersMayRepeatOnPublishInWireOrder() {
		Publish publish = (Publish) decode5(
				bytes(0x30, 0x0C, 0x00, 0x01, 't', 0x07, 0x0B, 0x03, 0x0B, 0x01, 0x0B, 0xFF, 0x7F, 'x'));
		assertThat(publish.properties().subscriptionIdentifiers()).containsExactly(3, 1, 16_383);
		publish.payload().release();
	}

	/**
	 * The bytes of one property: its sample written alone (0x16 needs no method when read
	 * alone).
	 */
	private static byte[] propertyBytes(int id) {
		PacketProperties sample = Mqtt5CodecTests.sample(id);
		if (id == PacketProperties.AUTHENTICATION_DATA) {
			return bytes(0x16, 0x00, 0x01, 0x07);
		}
		if (id == PacketProperties.USER_PROPERTY) {
			sample = PacketProperties.builder().userProperty("k", "v").build();
		}
		int carrier = firstCarrier(id);
		ByteBuf out = Unpooled.buffer();
		int size = PropertyCodec.size(sample, carrier);
		PropertyCodec.write(out, sample, size);
		WireFormat.readVariableByteInteger(out, "length");
		byte[] bytes = new byte[out.readableBytes()];
		out.readBytes(bytes);
		return bytes;
	}

	private static int firstCarrier(int id) {
		for (int type : new int[] { PropertyCodec.WILL, 1, 2, 3, 4, 8, 10, 14, 15 }) {
			if (PropertyCodec.allowed(id, type)) {
				return type;
			}
		}
		throw new IllegalStateException("no carrier for " + id);
	}

}
