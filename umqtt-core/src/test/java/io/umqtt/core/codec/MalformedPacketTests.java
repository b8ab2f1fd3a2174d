package io.umqtt.core.codec;

import java.util.stream.Stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.umqtt.core.codec.Bytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MalformedPacketTests {

	static Stream<Arguments> malformed() {
		return Stream.of(Arguments.of("reserved type 0", bytes(0x00, 0x00), "type 0 is reserved"),
				Arguments.of("reserved type 15", bytes(0xF0, 0x00), "type 15 is reserved"),
				Arguments.of("5-byte remaining length", bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
						"longer than 4 bytes"),
				Arguments.of("PUBLISH QoS 3", bytes(0x36, 0x03, 0x00, 0x01, 't'), "QoS 3 [MQTT-3.3.1-4]"),
				Arguments.of("PUBLISH QoS 0 with DUP", bytes(0x38, 0x03, 0x00, 0x01, 't'), "[MQTT-3.3.1-2]"),
				Arguments.of("PUBREL flags 0000", bytes(0x60, 0x02, 0x00, 0x01),
						"PUBREL fixed header flags must be 0010"),
				Arguments.of("SUBSCRIBE flags 0000", bytes(0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00),
						"[MQTT-3.8.1-1]"),
				Arguments.of("UNSUBSCRIBE flags 0011", bytes(0xA3, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'),
						"[MQTT-3.10.1-1]"),
				Arguments.of("PUBACK flags 0001", bytes(0x41, 0x02, 0x00, 0x01), "[MQTT-2.2.2-1]"),
				Arguments.of("PUBACK packet id 0", bytes(0x40, 0x02, 0x00, 0x00), "packet identifier 0 [MQTT-2.3.1-1]"),
				Arguments.of("PUBLISH QoS 1 packet id 0", bytes(0x32, 0x05, 0x00, 0x01, 't', 0x00, 0x00),
						"[MQTT-2.3.1-1]"),
				Arguments.of("PUBACK too long", bytes(0x40, 0x03, 0x00, 0x01, 0x00), "beyond its content"),
				Arguments.of("PINGRESP with a body", bytes(0xD0, 0x01, 0x00), "beyond its content"),
				Arguments.of("CONNACK reserved flags", bytes(0x20, 0x02, 0x02, 0x00), "[MQTT-3.2.2-1]"),
				Arguments.of("CONNACK too short", bytes(0x20, 0x01, 0x00), "CONNACK remaining length must be 2"),
				Arguments.of("topic length beyond the packet", bytes(0x30, 0x03, 0x00, 0x09, 't'), "declares 9 bytes"),
				Arguments.of("wildcard in topic name", bytes(0x30, 0x03, 0x00, 0x01, '#'), "wildcard '#'"),
				Arguments.of("empty topic name", bytes(0x30, 0x02, 0x00, 0x00), "[MQTT-4.7.3-1]"),
				Arguments.of("U+0000 in topic", bytes(0x30, 0x04, 0x00, 0x02, 'a', 0x00), "U+0000 [MQTT-1.5.3-2]"),
				Arguments.of("invalid UTF-8 topic", bytes(0x30, 0x04, 0x00, 0x02, 0xC3, 0x28), "[MQTT-1.5.3-1]"),
				Arguments.of("UTF-16 surrogate encoded in topic", bytes(0x30, 0x05, 0x00, 0x03, 0xED, 0xA0, 0x80),
						"[MQTT-1.5.3-1]"),
				Arguments.of("SUBACK reserved code", bytes(0x90, 0x03, 0x00, 0x01, 0x03), "[MQTT-3.9.3-2]"),
				Arguments.of("SUBSCRIBE with no filter", bytes(0x82, 0x02, 0x00, 0x01), "[MQTT-3.8.3-3]"),
				Arguments.of("SUBSCRIBE QoS 3", bytes(0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x03), "[MQTT-3.8.3-4]"),
				Arguments.of("SUBSCRIBE reserved QoS bits", bytes(0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x04),
						"[MQTT-3.8.3-4]"),
				Arguments.of("SUBSCRIBE bad filter", bytes(0x82, 0x07, 0x00, 0x01, 0x00, 0x02, 'a', '#', 0x00),
						"[MQTT-4.7.1-2]"),
				Arguments.of("UNSUBSCRIBE with no filter", bytes(0xA2, 0x02, 0x00, 0x01), "[MQTT-3.10.3-2]"),
				Arguments.of("CONNECT unknown protocol",
						bytes(0x10, 0x0C, 0x00, 0x04, 'M', 'Q', 'T', 'X', 0x04, 0x02, 0x00, 0x00, 0x00, 0x00),
						"[MQTT-3.1.2-1"),
				Arguments.of("CONNECT reserved flag",
						bytes(0x10, 0x0C, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x03, 0x00, 0x00, 0x00, 0x00),
						"[MQTT-3.1.2-3]"),
				Arguments.of("CONNECT will QoS without will",
						bytes(0x10, 0x0C, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x0A, 0x00, 0x00, 0x00, 0x00),
						"[MQTT-3.1.2-13"),
				Arguments.of("CONNECT will retain without will",
						bytes(0x10, 0x0C, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x22, 0x00, 0x00, 0x00, 0x00),
						"MQTT-3.1.2-15]"),
				Arguments.of("CONNECT password without user name", bytes(0x10, 0x0F, 0x00, 0x04, 'M', 'Q', 'T', 'T',
						0x04, 0x42, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 'p'), "[MQTT-3.1.2-22]"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformed")
	void malformedInputFailsNamingTheRule(String description, byte[] wire, String rule) {
		ByteBuf in = Unpooled.wrappedBuffer(wire);
		assertThatExceptionOfType(MalformedPacketException.class).isThrownBy(() -> new PacketDecoder().decode(in))
			.withMessageContaining(rule);
	}

	@Test
	void aDeclaredSizeOverTheMaximumFailsBeforeItsBytesArrive() {
		// PUBLISH declaring 256 MiB, then nothing: refused from the 5 header bytes alone.
		ByteBuf header = Unpooled.wrappedBuffer(bytes(0x30, 0xFF, 0xFF, 0xFF, 0x7F));
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> new PacketDecoder(1024 * 1024).decode(header))
			.withMessageContaining("exceeds the maximum packet size of 1048576 bytes");
	}

	@Test
	void aDeclaredSizeWithinTheMaximumWaitsWithoutAllocatingIt() {
		ByteBuf header = Unpooled.wrappedBuffer(bytes(0x30, 0xFF, 0xFF, 0xFF, 0x7F));
		PacketDecoder decoder = new PacketDecoder(Integer.MAX_VALUE);
		assertThat(decoder.decode(header)).isNull();
		assertThat(header.capacity()).isEqualTo(5);
		assertThat(header.readerIndex()).isZero();
	}

}
