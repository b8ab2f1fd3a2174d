package io.umqtt.core.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.umqtt.core.packet.Publish;
import org.junit.jupiter.api.Test;

import static io.umqtt.core.codec.Bytes.encode;
import static io.umqtt.core.codec.Bytes.encodeAppended;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The topic name cache behind the encoder and the decoder: a repeated topic is served
 * from it, and it never changes what goes over the wire or what is accepted.
 */
class TopicCacheTests {

	@Test
	void aRepeatedTopicIsDecodedOnceAndServedFromTheCache() {
		PacketDecoder decoder = new PacketDecoder();
		byte[] wire = encode(publish("sensors/device-42/temperature"));
		Publish first = decodePublish(decoder, wire);
		Publish second = decodePublish(decoder, wire);
		assertThat(first.topic()).isEqualTo("sensors/device-42/temperature");
		assertThat(second.topic()).isSameAs(first.topic());
	}

	@Test
	void manyTopicsSharingSlotsAlwaysDecodeToTheirOwnName() {
		PacketDecoder decoder = new PacketDecoder();
		List<String> topics = new ArrayList<>();
		for (int i = 0; i < 5_000; i++) {
			topics.add("sensors/device-" + i + "/temperature");
		}
		topics.add("温度/ü/😀");
		topics.add("x".repeat(TopicCache.MAX_CACHED_BYTES + 1));
		for (int round = 0; round < 3; round++) {
			for (String topic : topics) {
				assertThat(decodePublish(decoder, encode(publish(topic))).topic()).isEqualTo(topic);
			}
		}
	}

	@Test
	void aTopicThatBreaksARuleIsRefusedEveryTime() {
		PacketDecoder decoder = new PacketDecoder();
		byte[] wildcard = Bytes.bytes(0x30, 0x05, 0x00, 0x03, 'a', '/', '+');
		byte[] nul = Bytes.bytes(0x30, 0x05, 0x00, 0x03, 'a', '/', 0x00);
		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(MalformedPacketException.class)
				.isThrownBy(() -> decoder.decode(Unpooled.wrappedBuffer(wildcard)))
				.withMessageContaining("wildcard");
			assertThatExceptionOfType(MalformedPacketException.class)
				.isThrownBy(() -> decoder.decode(Unpooled.wrappedBuffer(nul)))
				.withMessageContaining("U+0000");
		}
		// a well-formed topic of the same length still decodes after the refusals
		assertThat(decodePublish(decoder, Bytes.bytes(0x30, 0x05, 0x00, 0x03, 'a', '/', 'b')).topic()).isEqualTo("a/b");
	}

	@Test
	void encodingFromTheCacheWritesTheSameBytesAsEncodingAfresh() {
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < 3_000; i++) {
				String topic = "sensors/device-" + i + "/température";
				byte[] utf8 = topic.getBytes(StandardCharsets.UTF_8);
				byte[] wire = encodeAppended(publish(new String(topic.toCharArray())));
				// remaining length: topic length prefix, topic, packet id, 2-byte payload
				assertThat(wire[1] & 0xFF).isEqualTo(2 + utf8.length + 2 + 2);
				assertThat(wire[3] & 0xFF).isEqualTo(utf8.length);
				assertThat(wire).containsSubsequence(utf8);
				assertThat(encode(publish(topic))).containsExactly(wire);
			}
		}
	}

	@Test
	void aTopicWithoutAUtf8FormIsRefusedAndItsPayloadReleased() {
		ByteBuf payload = Unpooled.buffer().writeZero(8);
		Publish publish = new Publish("bad\uD800topic", 0, false, false, 0, payload);
		assertThatIllegalArgumentException().isThrownBy(() -> encodeAppended(publish))
			.withMessageContaining("[MQTT-1.5.3-1]");
		assertThat(payload.refCnt()).isZero();
		ByteBuf other = Unpooled.directBuffer().writeZero(8);
		assertThatIllegalArgumentException().isThrownBy(() -> encode(publish.withPayload(other)))
			.withMessageContaining("[MQTT-1.5.3-1]");
		assertThat(other.refCnt()).isZero();
	}

	private static Publish publish(String topic) {
		return new Publish(topic, 1, false, false, 7, Unpooled.wrappedBuffer(new byte[] { 1, 2 }));
	}

	private static Publish decodePublish(PacketDecoder decoder, byte[] wire) {
		ByteBuf in = Unpooled.wrappedBuffer(wire);
		Publish publish = (Publish) decoder.decode(in);
		assertThat(in.isReadable()).isFalse();
		publish.payload().release();
		return publish;
	}

}
