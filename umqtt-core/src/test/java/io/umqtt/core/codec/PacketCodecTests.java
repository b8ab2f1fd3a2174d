package io.umqtt.core.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.umqtt.core.codec.Bytes.bytes;
import static io.umqtt.core.codec.Bytes.concat;
import static io.umqtt.core.codec.Bytes.decode;
import static io.umqtt.core.codec.Bytes.encode;
import static io.umqtt.core.codec.Bytes.encodeAppended;
import static org.assertj.core.api.Assertions.assertThat;

class PacketCodecTests {

	static Stream<Arguments> fixtures() {
		return Stream.of(Arguments.of(new Connect(4, true, 60, "ab", null, null, null), bytes(0x10, 0x0E, /*
																											 * CONNECT,
																											 * remaining
																											 * 14
																											 */
				0x00, 0x04, 'M', 'Q', 'T', 'T', /* protocol name */
				0x04, /* level 4 */ 0x02, /* clean session */ 0x00, 0x3C, /*
																			 * keep-alive
																			 * 60
																			 */
				0x00, 0x02, 'a', 'b' /* client id */)),
				Arguments.of(new Connect(3, false, 0, "", null, null, null), bytes(0x10, 0x0E, /*
																								 * CONNECT,
																								 * remaining
																								 * 14
																								 */
						0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', /*
																	 * MQTT 3.1 protocol
																	 * name
																	 */
						0x03, /* level 3 */ 0x00, /* flags */ 0x00, 0x00, /*
																			 * keep-alive
																			 * 0
																			 */
						0x00, 0x00 /*
									 * zero-length client id, still encoded [MQTT-3.1.3-6]
									 */)),
				Arguments.of(new Connect(4, true, 2, "c", new Will("w", "x".getBytes(), 2, true), "u", "p".getBytes()),
						bytes(0x10, 0x19, /* CONNECT, remaining 25 */
								0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, /* MQTT 4 */
								0xF6, /*
										 * user, password, will retain, will QoS 2, will,
										 * clean
										 */
								0x00, 0x02, /* keep-alive 2 */
								0x00, 0x01, 'c', /* client id */
								0x00, 0x01, 'w', /* will topic */ 0x00, 0x01, 'x', /*
																					 * will
																					 * message
																					 */
								0x00, 0x01, 'u', /* user name */ 0x00, 0x01, 'p' /*
																					 * password
																					 */)),
				Arguments.of(new ConnAck(true, 0),
						bytes(0x20, 0x02, /* CONNACK */ 0x01, /* session present */ 0x00)),
				Arguments.of(new ConnAck(false, 5),
						bytes(0x20, 0x02, 0x00, 0x05 /* not authorized */)),
				Arguments.of(new Publish("a/b", 0, false, false, 0, Unpooled.wrappedBuffer(bytes('h', 'i'))), bytes(
						0x30, 0x07, /* PUBLISH QoS 0, remaining 7 */
						0x00, 0x03, 'a', '/', 'b', /* topic */ 'h', 'i' /* payload */)),
				Arguments.of(new Publish("t", 1, true, true, 10, Unpooled.wrappedBuffer(bytes('x'))),
						bytes(0x3B, 0x06, /* PUBLISH DUP, QoS 1, RETAIN, remaining 6 */
								0x00, 0x01, 't', 0x00, 0x0A, /* packet id 10 */ 'x')),
				Arguments.of(new Publish("t", 2, false, false, 65535, Unpooled.EMPTY_BUFFER),
						bytes(0x34, 0x05, /* PUBLISH QoS 2, remaining 5 */ 0x00, 0x01, 't', 0xFF, 0xFF
						/* packet id 65535, empty payload */)),
				Arguments.of(new PubAck(10),
						bytes(0x40, 0x02, /* PUBACK, remaining 2 */ 0x00, 0x0A /* id 10 */)),
				Arguments.of(new PubRec(1), bytes(0x50, 0x02, /* PUBREC */ 0x00, 0x01)),
				Arguments.of(new PubRel(258),
						bytes(0x62, 0x02, /* PUBREL, flags 0010 */ 0x01, 0x02 /* id 258 */)),
				Arguments.of(new PubComp(7), bytes(0x70, 0x02, /* PUBCOMP */ 0x00, 0x07)),
				Arguments.of(new Subscribe(1, List.of(new Subscription("a/+", 1), new Subscription("#", 2))),
						bytes(0x82, 0x0C, /* SUBSCRIBE, flags 0010, remaining 12 */ 0x00, 0x01, /*
																								 * id
																								 * 1
																								 */
								0x00, 0x03, 'a', '/', '+', 0x01, /* a/+ QoS 1 */ 0x00, 0x01, '#', 0x02 /*
																										 * #
																										 * QoS
																										 * 2
																										 */)),
				Arguments.of(new SubAck(1, List.of(1, 0x80)), bytes(0x90, 0x04,
						/* SUBACK */ 0x00, 0x01, 0x01, /* granted 1 */ 0x80 /* refused */)),
				Arguments.of(new Unsubscribe(2, List.of("a/b")),
						bytes(0xA2, 0x07, /* UNSUBSCRIBE, flags 0010 */ 0x00, 0x02, 0x00, 0x03, 'a', '/', 'b')),
				Arguments.of(new UnsubAck(2), bytes(0xB0, 0x02, /* UNSUBACK */ 0x00, 0x02)),
				Arguments.of(PingReq.INSTANCE, bytes(0xC0, 0x00 /* PINGREQ */)),
				Arguments.of(PingResp.INSTANCE, bytes(0xD0, 0x00 /* PINGRESP */)),
				Arguments.of(Disconnect.INSTANCE, bytes(0xE0, 0x00 /* DISCONNECT */)));
	}

	@ParameterizedTest
	@MethodSource("fixtures")
	void everyPacketTypeEncodesToItsFixtureAndDecodesBack(Packet packet, byte[] wire) {
		assertThat(decode(wire)).isEqualTo(packet);
		// encoding hands the payload over: each encoding gets its own reference to it
		assertThat(encodeAppended(retained(packet))).containsExactly(wire);
		assertThat(encode(packet)).containsExactly(wire);
	}

	private static Packet retained(Packet packet) {
		return (packet instanceof Publish publish) ? publish.withPayload(publish.payload().retainedDuplicate())
				: packet;
	}

	@Test
	void encodedPublishIsAnExactSizeHeaderFollowedByThePayloadItselfUncopied() {
		ByteBuf payload = Unpooled.directBuffer(64).writeZero(64);
		List<Object> out = new ArrayList<>();
		PacketEncoder.INSTANCE.encode(new Publish("sensors/1", 1, false, false, 3, payload), ByteBufAllocator.DEFAULT,
				out);
		assertThat(out).hasSize(2);
		ByteBuf header = (ByteBuf) out.get(0);
		assertThat(header.readableBytes()).isEqualTo(1 + 1 + 2 + 9 + 2);
		assertThat(header.capacity()).isEqualTo(header.readableBytes());
		// a view of the payload's own memory, not a copy, whose reading leaves the
		// payload as it was
		ByteBuf view = (ByteBuf) out.get(1);
		assertThat(view.memoryAddress()).isEqualTo(payload.memoryAddress());
		view.skipBytes(64);
		assertThat(payload.readableBytes()).isEqualTo(64);
		header.release();
		view.release();
		assertThat(payload.refCnt()).isZero();
	}

	@Test
	void decodedPublishPayloadIsASliceOfTheInputNotACopy() {
		ByteBuf in = Unpooled.wrappedBuffer(bytes(0x30, 0x05, 0x00, 0x01, 't', 'o', 'k'));
		Publish publish = (Publish) new PacketDecoder().decode(in);
		assertThat(publish.payload().unwrap()).isSameAs((in.unwrap() != null) ? in.unwrap() : in);
		assertThat(publish.payload().toString(StandardCharsets.US_ASCII)).isEqualTo("ok");
		assertThat(in.refCnt()).isEqualTo(2);
		publish.payload().release();
		assertThat(in.refCnt()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455 })
	void remainingLengthBoundariesRoundTrip(int length) {
		ByteBuf out = Unpooled.buffer();
		WireFormat.writeRemainingLength(out, length);
		assertThat(out.readableBytes()).isEqualTo(WireFormat.remainingLengthSize(length));
		int expectedBytes = (length < 128) ? 1 : (length < 16_384) ? 2 : (length < 2_097_152) ? 3 : 4;
		assertThat(out.readableBytes()).isEqualTo(expectedBytes);
		// A PUBLISH frame of that remaining length is framed (and needs all of its
		// bytes).
		if (length >= 3) {
			ByteBuf frame = Unpooled.buffer().writeByte(0x30);
			WireFormat.writeRemainingLength(frame, length);
			frame.writeShort(1).writeByte('t');
			PacketDecoder decoder = new PacketDecoder(Integer.MAX_VALUE);
			assertThat(decoder.decode(frame)).as("incomplete").isNull();
			assertThat(frame.readerIndex()).isZero();
		}
	}

	@Test
	void remainingLengthBoundaryEncodingsAreTheSpecExamples() {
		assertThat(remaining(0)).containsExactly(0x00);
		assertThat(remaining(127)).containsExactly(0x7F);
		assertThat(remaining(128)).containsExactly(0x80, 0x01);
		assertThat(remaining(16_383)).containsExactly(0xFF, 0x7F);
		assertThat(remaining(16_384)).containsExactly(0x80, 0x80, 0x01);
		assertThat(remaining(2_097_151)).containsExactly(0xFF, 0xFF, 0x7F);
		assertThat(remaining(2_097_152)).containsExactly(0x80, 0x80, 0x80, 0x01);
		assertThat(remaining(268_435_455)).containsExactly(0xFF, 0xFF, 0xFF, 0x7F);
	}

	private static int[] remaining(int value) {
		ByteBuf out = Unpooled.buffer();
		WireFormat.writeRemainingLength(out, value);
		int[] result = new int[out.readableBytes()];
		for (int i = 0; i < result.length; i++) {
			result[i] = out.readUnsignedByte();
		}
		return result;
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 127, 128, 16_384, 2_097_152 })
	void publishesOfEverySizeRoundTrip(int payloadSize) {
		byte[] payload = new byte[payloadSize];
		for (int i = 0; i < payloadSize; i++) {
			payload[i] = (byte) i;
		}
		Publish publish = new Publish("size/" + payloadSize, 1, false, false, 9, Unpooled.wrappedBuffer(payload));
		byte[] wire = encode(publish);
		Publish decoded = (Publish) decode(wire);
		assertThat(decoded.topic()).isEqualTo("size/" + payloadSize);
		assertThat(ByteBufBytes.of(decoded.payload())).containsExactly(payload);
		decoded.payload().release();
	}

	@Test
	void nonAsciiTopicsAreCountedInUtf8Bytes() {
		String topic = "温度/ü/😀";
		byte[] wire = encode(new Publish(topic, 0, false, false, 0, Unpooled.EMPTY_BUFFER));
		int utf8 = topic.getBytes(StandardCharsets.UTF_8).length;
		assertThat(wire[1]).isEqualTo((byte) (2 + utf8));
		assertThat(wire[3]).isEqualTo((byte) utf8);
		assertThat(((Publish) decode(wire)).topic()).isEqualTo(topic);
	}

	@Test
	void aStreamSplitAtEveryOffsetOrCoalescedDecodesTheSame() {
		List<Packet> packets = new ArrayList<>();
		fixtures().forEach((arguments) -> packets.add((Packet) arguments.get()[0]));
		byte[] stream = concat(fixtures().map((arguments) -> (byte[]) arguments.get()[1]).toArray(byte[][]::new));
		PacketDecoder decoder = new PacketDecoder();
		// all at once
		List<Packet> coalesced = decoder.decodeAll(Unpooled.wrappedBuffer(stream));
		assertThat(coalesced).containsExactlyElementsOf(packets);
		// split into two reads at every offset
		for (int split = 0; split <= stream.length; split++) {
			ByteBuf cumulation = Unpooled.buffer();
			cumulation.writeBytes(stream, 0, split);
			List<Packet> decoded = new ArrayList<>(decoder.decodeAll(cumulation));
			cumulation.writeBytes(stream, split, stream.length - split);
			decoded.addAll(decoder.decodeAll(cumulation));
			assertThat(decoded).as("split at %d", split).containsExactlyElementsOf(packets);
			assertThat(cumulation.isReadable()).isFalse();
		}
		// one byte per read
		ByteBuf cumulation = Unpooled.buffer();
		List<Packet> decoded = new ArrayList<>();
		for (byte b : stream) {
			cumulation.writeByte(b);
			decoded.addAll(decoder.decodeAll(cumulation));
		}
		assertThat(decoded).containsExactlyElementsOf(packets);
	}

}
