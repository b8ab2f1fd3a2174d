package io.umqtt.core.codec;

import java.lang.management.ManagementFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import org.junit.jupiter.api.Test;

import static io.umqtt.core.codec.Bytes.bytes;
import static io.umqtt.core.codec.Bytes.decode5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * MQTT 5 acknowledgements with a reason code and no properties, what Mosquitto sends
 * (PUBACK 0x10 No matching subscribers): read in place, checked as any other.
 */
class Mqtt5AcknowledgementDecodingTests {

	@Test
	void aReasonCodeWithOrWithoutAPropertyLengthOf0() {
		assertThat(decode5(bytes(0x40, 0x03, 0x00, 0x0A, 0x10))).isEqualTo(new PubAck(10, 0x10, PacketProperties.NONE));
		assertThat(decode5(bytes(0x40, 0x04, 0x00, 0x0A, 0x10, 0x00)))
			.isEqualTo(new PubAck(10, 0x10, PacketProperties.NONE));
		assertThat(decode5(bytes(0x50, 0x04, 0x01, 0x02, 0x80, 0x00)))
			.isEqualTo(new PubRec(258, 0x80, PacketProperties.NONE));
		assertThat(decode5(bytes(0x62, 0x04, 0x00, 0x01, 0x92, 0x00)))
			.isEqualTo(new PubRel(1, 0x92, PacketProperties.NONE));
		assertThat(decode5(bytes(0x70, 0x03, 0x00, 0x07, 0x00))).isEqualTo(new PubComp(7, 0, PacketProperties.NONE));
		// a property length that is not 0 is read as properties
		assertThat(decode5(bytes(0x40, 0x08, 0x00, 0x0A, 0x87, 0x04, 0x1F, 0x00, 0x01, 'r')))
			.isEqualTo(new PubAck(10, 0x87, PacketProperties.builder().reasonString("r").build()));
	}

	@Test
	void readInPlaceTheyAreCheckedAsAnyOther() {
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> decode5(bytes(0x40, 0x03, 0x00, 0x00, 0x10)))
			.withMessage("PUBACK with packet identifier 0 [MQTT-2.2.1-3]");
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> decode5(bytes(0x40, 0x04, 0x00, 0x01, 0x92, 0x00)))
			.withMessage("PUBACK reason code 0x92 is not one the packet may carry [MQTT-3.4.2-1]");
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> decode5(bytes(0x50, 0x03, 0x00, 0x01, 0x04)))
			.withMessage("PUBREC reason code 0x04 is not one the packet may carry [MQTT-3.5.2-1]");
	}

	@Test
	void aPubAckWithAReasonCodeAllocatesNoMoreThanItsRecord() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		int count = 20_000;
		ByteBuf wire = Unpooled.buffer(count * 5);
		for (int i = 0; i < count; i++) {
			wire.writeByte(0x40).writeByte(0x03).writeShort((i % 65_535) + 1).writeByte(0x10);
		}
		PacketDecoder decoder = new PacketDecoder(PacketDecoder.DEFAULT_MAX_PACKET_SIZE, 5);
		long fewest = Long.MAX_VALUE;
		for (int pass = 0; pass < 8; pass++) {
			wire.readerIndex(0);
			long before = threads.getCurrentThreadAllocatedBytes();
			int decoded = 0;
			Packet packet;
			while ((packet = decoder.decode(wire)) != null) {
				decoded += (packet instanceof PubAck) ? 1 : 0;
			}
			long allocated = threads.getCurrentThreadAllocatedBytes() - before;
			assertThat(decoded).isEqualTo(count);
			fewest = Math.min(fewest, allocated);
		}
		// the PubAck record is 24 bytes with compressed oops; a slice of each body would
		// add 40 more
		assertThat(fewest / count).isLessThanOrEqualTo(32);
		wire.release();
	}

}
