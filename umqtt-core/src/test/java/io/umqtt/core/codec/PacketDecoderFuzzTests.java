package io.umqtt.core.codec;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.Publish;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the decoder with Jazzer. {@code mvn verify} runs the seed
 * corpus in {@code src/test/resources/io/umqtt/core/codec/PacketDecoderFuzzTestsInputs}
 * as a regression test;
 * {@code JAZZER_FUZZ=1 mvn -pl umqtt-core -am test -Dtest='PacketDecoderFuzzTests#<target>'}
 * fuzzes one target for real (10 million executions, 25 million for MQTT 5), and writes
 * what it finds to that corpus (see the README, "Fuzzing"). {@code decodesOrFailsCleanly}
 * decodes MQTT 3.1.1, {@code decodesOrFailsCleanlyV5} MQTT 5 (properties, reason codes,
 * AUTH).
 * <p>
 * The property: any bytes either decode into packets that encode and decode back to
 * themselves, or fail with {@link MalformedPacketException}; on MQTT 5, with a reason
 * code of 0x81 or more. No other exception, no hang, and never an allocation of a
 * declared size (the 1 MiB maximum bounds every buffer).
 */
class PacketDecoderFuzzTests {

	@FuzzTest(maxDuration = "3h", maxExecutions = 10_000_000)
	void decodesOrFailsCleanly(byte[] data) {
		decodeOrFailCleanly(new PacketDecoder(1024 * 1024), PacketEncoder.INSTANCE, data);
	}

	/**
	 * More executions than the 3.1.1 target: the MQTT 5 decoder has far more paths
	 * (properties).
	 */
	@FuzzTest(maxDuration = "3h", maxExecutions = 25_000_000)
	void decodesOrFailsCleanlyV5(byte[] data) {
		decodeOrFailCleanly(new PacketDecoder(1024 * 1024, 5), PacketEncoder.MQTT_5, data);
	}

	private static void decodeOrFailCleanly(PacketDecoder decoder, PacketEncoder encoder, byte[] data) {
		ByteBuf in = Unpooled.wrappedBuffer(data);
		try {
			Packet packet;
			while ((packet = decoder.decode(in)) != null) {
				assertThat(reencode(decoder, encoder, packet)).isEqualTo(packet);
				if (packet instanceof Publish publish) {
					publish.payload().release();
				}
			}
		}
		catch (MalformedPacketException expected) {
			assertThat(expected.getMessage()).isNotBlank();
			assertThat(expected.reasonCode()).isBetween(0x81, 0x95);
		}
	}

	private static Packet reencode(PacketDecoder decoder, PacketEncoder encoder, Packet packet) {
		Packet copy = (packet instanceof Publish publish) ? publish.withPayload(publish.payload().retainedDuplicate())
				: packet;
		List<Object> buffers = new ArrayList<>();
		encoder.encode(copy, ByteBufAllocator.DEFAULT, buffers);
		ByteBuf joined = Unpooled.buffer();
		for (Object buffer : buffers) {
			joined.writeBytes((ByteBuf) buffer);
			((ByteBuf) buffer).release();
		}
		Packet again = decoder.decode(joined);
		assertThat(joined.isReadable()).isFalse();
		if (again instanceof Publish publish) {
			publish.payload().release();
		}
		return again;
	}

}
