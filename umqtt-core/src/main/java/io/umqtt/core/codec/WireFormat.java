package io.umqtt.core.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * The primitive encodings of MQTT: the variable-length remaining length, two-byte lengths
 * and UTF-8 strings with their rules.
 */
public final class WireFormat {

	/** The largest remaining length four bytes can carry [MQTT-2.2.3]. */
	public static final int MAX_REMAINING_LENGTH = 268_435_455;

	private static final ThreadLocal<CharsetDecoder> STRICT_UTF8 = ThreadLocal
		.withInitial(() -> StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT));

	private WireFormat() {
	}

	/**
	 * How many bytes the remaining length {@code value} takes: 1 to 4.
	 * @param value the remaining length
	 * @return its encoded size
	 */
	public static int remainingLengthSize(int value) {
		if (value < 128) {
			return 1;
		}
		if (value < 16_384) {
			return 2;
		}
		if (value < 2_097_152) {
			return 3;
		}
		return 4;
	}

	/**
	 * Writes a remaining length.
	 * @param out the buffer
	 * @param value 0 to {@link #MAX_REMAINING_LENGTH}
	 */
	public static void writeRemainingLength(ByteBuf out, int value) {
		if (value < 0 || value > MAX_REMAINING_LENGTH) {
			throw new IllegalArgumentException(
					"Remaining length must be 0.." + MAX_REMAINING_LENGTH + " [MQTT-2.2.3], was " + value);
		}
		do {
			int digit = value & 0x7F;
			value >>>= 7;
			out.writeByte((value > 0) ? digit | 0x80 : digit);
		}
		while (value > 0);
	}

	/**
	 * How many bytes a variable byte integer takes [MQTT-1.5.5]: 1 to 4.
	 * @param value 0 to {@link #MAX_REMAINING_LENGTH}
	 * @return its encoded size
	 */
	public static int variableByteIntegerSize(int value) {
		return remainingLengthSize(value);
	}

	/**
	 * Writes a variable byte integer in the fewest bytes [MQTT-1.5.5-1].
	 * @param out the buffer
	 * @param value 0 to {@link #MAX_REMAINING_LENGTH}
	 */
	public static void writeVariableByteInteger(ByteBuf out, int value) {
		writeRemainingLength(out, value);
	}

	/**
	 * Reads a variable byte integer at the reader index, refusing one longer than four
	 * bytes and one not encoded in the fewest bytes [MQTT-1.5.5-1].
	 * @param in the buffer
	 * @param what what the integer is, for the error message
	 * @return the value, 0 to {@link #MAX_REMAINING_LENGTH}
	 * @throws MalformedPacketException when the integer is cut short, too long or not
	 * minimal
	 */
	public static int readVariableByteInteger(ByteBuf in, String what) {
		int value = getVariableByteInteger(in, in.readerIndex(), in.writerIndex(), what);
		in.skipBytes(remainingLengthSize(value));
		return value;
	}

	/**
	 * Reads a variable byte integer at {@code index}, before {@code end}, without moving
	 * the reader index; its size is {@link #variableByteIntegerSize(int)} of the value,
	 * since only minimal encodings are accepted.
	 */
	static int getVariableByteInteger(ByteBuf in, int index, int end, String what) {
		int value = 0;
		for (int i = 0, shift = 0;; i++, shift += 7) {
			if (i == 4) {
				throw new MalformedPacketException(what + ": variable byte integer longer than 4 bytes [MQTT-1.5.5]");
			}
			if (index + i >= end) {
				throw new MalformedPacketException(what + ": variable byte integer cut short by the remaining length");
			}
			int digit = in.getUnsignedByte(index + i);
			value |= (digit & 0x7F) << shift;
			if ((digit & 0x80) == 0) {
				if (digit == 0 && i > 0) {
					throw new MalformedPacketException(
							what + ": variable byte integer not in the fewest bytes" + " [MQTT-1.5.5-1]");
				}
				return value;
			}
		}
	}

	/**
	 * Writes a string as a two-byte length and its UTF-8 bytes.
	 * @param out the buffer
	 * @param value the string
	 * @param utf8Length its UTF-8 length, computed beforehand for the exact buffer size
	 */
	public static void writeString(ByteBuf out, String value, int utf8Length) {
		out.writeShort(utf8Length);
		int written = ByteBufUtil.reserveAndWriteUtf8(out, value, utf8Length);
		if (written != utf8Length) {
			throw new IllegalStateException("UTF-8 length of '" + value + "' changed while encoding");
		}
	}

	/**
	 * Writes binary data as a two-byte length and the bytes.
	 * @param out the buffer
	 * @param value at most 65,535 bytes
	 */
	public static void writeBinary(ByteBuf out, byte[] value) {
		out.writeShort(value.length);
		out.writeBytes(value);
	}

	/**
	 * Reads a two-byte length prefixed UTF-8 string, checking that it is well-formed and
	 * holds no U+0000.
	 * @param in the buffer, positioned at the length
	 * @param what what the string is, for the error message
	 * @return the string
	 * @throws MalformedPacketException when the string is cut short or breaks a rule
	 */
	public static String readString(ByteBuf in, String what) {
		int length = readLength(in, what);
		int start = in.readerIndex();
		String value = decodeUtf8(in, start, length, what);
		in.skipBytes(length);
		return value;
	}

	/**
	 * Reads two-byte length prefixed binary data.
	 * @param in the buffer, positioned at the length
	 * @param what what the data is, for the error message
	 * @return the bytes
	 */
	public static byte[] readBinary(ByteBuf in, String what) {
		int length = readLength(in, what);
		byte[] value = new byte[length];
		in.readBytes(value);
		return value;
	}

	/**
	 * Reads a two-byte length and checks that the buffer holds that many bytes after it.
	 * @param in the buffer
	 * @param what what follows, for the error message
	 * @return the length
	 */
	static int readLength(ByteBuf in, String what) {
		if (in.readableBytes() < 2) {
			throw new MalformedPacketException(what + ": length prefix cut short by the remaining length");
		}
		int length = in.readUnsignedShort();
		if (in.readableBytes() < length) {
			throw new MalformedPacketException(
					what + ": declares " + length + " bytes but only " + in.readableBytes() + " remain in the packet");
		}
		return length;
	}

	static String decodeUtf8(ByteBuf in, int start, int length, String what) {
		// ASCII fast path: one scan, no decoder.
		boolean ascii = true;
		for (int i = start, end = start + length; i < end; i++) {
			byte b = in.getByte(i);
			if (b == 0) {
				throw new MalformedPacketException(what + " must not contain U+0000 [MQTT-1.5.3-2]");
			}
			if (b < 0) {
				ascii = false;
				break;
			}
		}
		if (ascii) {
			return in.toString(start, length, StandardCharsets.US_ASCII);
		}
		ByteBuffer bytes = (in.nioBufferCount() == 1) ? in.nioBuffer(start, length)
				: ByteBuffer.wrap(ByteBufUtil.getBytes(in, start, length));
		String value;
		try {
			CharBuffer chars = STRICT_UTF8.get().reset().decode(bytes);
			value = chars.toString();
		}
		catch (CharacterCodingException ex) {
			throw new MalformedPacketException(what + " is not well-formed UTF-8 [MQTT-1.5.3-1]");
		}
		if (value.indexOf('\0') >= 0) {
			throw new MalformedPacketException(what + " must not contain U+0000 [MQTT-1.5.3-2]");
		}
		return value;
	}

}
