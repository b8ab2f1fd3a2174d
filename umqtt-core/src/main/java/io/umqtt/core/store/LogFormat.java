package io.umqtt.core.store;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The layout of a session log, version 2. The file opens with an 8-byte header
 * {@code ["UMQS"][byte version][byte flags][2 bytes reserved]}; then records
 * {@code [byte 0xA5][int length][int crc32c][body of length bytes]}, the checksum taken
 * over the length and the body. The marker byte and the checksum let a reader find the
 * next intact record after a damaged one. A body is {@code [byte type][fields]}.
 * <p>
 * Version 1 (no header, records {@code [int length][body]} without checksum) is read and
 * converted.
 */
final class LogFormat {

	/**
	 * {@code "UMQS"}: as a version 1 record length it would exceed {@link #MAX_BODY}, so
	 * the two never mix up.
	 */
	static final int MAGIC = 0x554D5153;

	static final byte VERSION = 2;

	static final int HEADER_BYTES = 8;

	/**
	 * Header flag: the topic and payload of each message are sealed by a
	 * {@link StoreCipher}.
	 */
	static final byte FLAG_SEALED = 1;

	static final byte MARKER = (byte) 0xA5;

	/** Marker, length and checksum. */
	static final int RECORD_OVERHEAD = 9;

	/** Version 1 records carry a length only. */
	static final int LEGACY_RECORD_OVERHEAD = 4;

	/**
	 * The largest body: type, packet id, QoS, retain, a topic of 65,535 bytes with its
	 * length, a payload of the largest MQTT packet (256 MiB), and 64 KiB for what a
	 * cipher adds.
	 */
	static final int MAX_BODY = 1 + 4 + 1 + 1 + 4 + 65_535 + 268_435_455 + 65_536;

	/** Body bytes of a record that carries a packet id only. */
	static final int ID_BODY = 5;

	private LogFormat() {
	}

	static ByteBuffer header(boolean sealed) {
		return ByteBuffer.allocate(HEADER_BYTES)
			.putInt(MAGIC)
			.put(VERSION)
			.put(sealed ? FLAG_SEALED : 0)
			.putShort((short) 0)
			.flip();
	}

	/**
	 * Frames a body as a record.
	 * @param body the body, from its position to its limit
	 * @return the record, ready to write
	 */
	static ByteBuffer record(ByteBuffer body) {
		int length = body.remaining();
		if (length < 1 || length > MAX_BODY) {
			throw new IllegalArgumentException(
					"A session record body must be 1 to " + MAX_BODY + " bytes, not " + length);
		}
		ByteBuffer record = ByteBuffer.allocate(RECORD_OVERHEAD + length);
		record.put(MARKER).putInt(length).putInt(crc(length, body.duplicate())).put(body);
		return record.flip();
	}

	/**
	 * The checksum of a record: CRC32C over its length (4 bytes, big-endian) and its
	 * body.
	 */
	static int crc(int length, ByteBuffer body) {
		CRC32C crc = new CRC32C();
		crc.update(length >>> 24);
		crc.update(length >>> 16);
		crc.update(length >>> 8);
		crc.update(length);
		crc.update(body);
		return (int) crc.getValue();
	}

}
