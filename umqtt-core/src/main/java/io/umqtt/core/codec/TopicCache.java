package io.umqtt.core.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.umqtt.core.topic.Utf8;

/**
 * Topic names seen before, so that a repeated topic is neither encoded nor decoded again:
 * most traffic goes to a few topics. Two direct-mapped tables of immutable entries: the
 * encoder's, shared by every connection and keyed by the string's hash, where readers on
 * other threads see either the old entry or the new one, never a torn one, so no lock is
 * needed; and one per decoder, keyed by a hash of the bytes and used by the decoder's
 * thread only. A collision replaces the slot, nothing is evicted otherwise, and only
 * topics of at most {@link #MAX_CACHED_BYTES} bytes are kept, so the memory is bounded
 * (the decoder's table and scratch array are made at its first PUBLISH).
 */
final class TopicCache {

	/** Longer topics are encoded and decoded every time. */
	static final int MAX_CACHED_BYTES = 256;

	private static final int ENCODED_SLOTS = 1024;

	private static final int DECODED_SLOTS = 256;

	private static final Encoded[] ENCODED = new Encoded[ENCODED_SLOTS];

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private Decoded[] decoded;

	/**
	 * The bytes being looked up, copied out of the input; only the decoder's thread uses
	 * it.
	 */
	private byte[] scratch;

	/** The entry found or remembered last. */
	private Decoded last;

	/** The hash of the bytes last looked up, for {@link #remember}. */
	private int lastHash;

	/**
	 * The UTF-8 bytes of a topic name, from the cache.
	 * @param topic the topic name
	 * @return its bytes, well-formed and at most {@link #MAX_CACHED_BYTES} long;
	 * {@code null} when the topic is longer or not well-formed, and the caller encodes it
	 * (and reports the error)
	 */
	static byte[] encoded(String topic) {
		int hash = topic.hashCode();
		int slot = (hash ^ (hash >>> 16)) & (ENCODED_SLOTS - 1);
		Encoded entry = ENCODED[slot];
		if (entry != null && (entry.topic == topic || entry.topic.equals(topic))) {
			return entry.bytes;
		}
		if (topic.length() > MAX_CACHED_BYTES) {
			return null;
		}
		int length = Utf8.encodedLength(topic);
		if (length < 0 || length > MAX_CACHED_BYTES) {
			return null;
		}
		byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
		ENCODED[slot] = new Encoded(topic, bytes);
		return bytes;
	}

	/**
	 * The topic name whose UTF-8 bytes are {@code in[index, index + length)}, when it was
	 * {@linkplain #remember remembered} before. The bytes are copied once into a scratch
	 * array and hashed and compared there, eight at a time.
	 * @return the string, or {@code null}
	 */
	String decoded(ByteBuf in, int index, int length) {
		if (length > MAX_CACHED_BYTES) {
			return null;
		}
		Decoded[] table = this.decoded;
		if (table == null) {
			table = new Decoded[DECODED_SLOTS];
			this.decoded = table;
			this.scratch = new byte[MAX_CACHED_BYTES];
		}
		byte[] bytes = this.scratch;
		in.getBytes(index, bytes, 0, length);
		// a stream of messages often repeats the topic of the one before: no hash needed
		// then
		Decoded last = this.last;
		if (last != null && sameBytes(last.bytes, bytes, length)) {
			return last.value;
		}
		int hash = hash(bytes, length);
		this.lastHash = hash;
		Decoded entry = table[slot(hash)];
		if (entry != null && entry.hash == hash && sameBytes(entry.bytes, bytes, length)) {
			this.last = entry;
			return entry.value;
		}
		return null;
	}

	/**
	 * Remembers a topic name decoded and validated after {@link #decoded} returned
	 * {@code null} for its bytes.
	 * @param length how many bytes it has
	 * @param value the topic name
	 */
	void remember(int length, String value) {
		if (length > MAX_CACHED_BYTES) {
			return;
		}
		int hash = this.lastHash;
		Decoded entry = new Decoded(hash, Arrays.copyOf(this.scratch, length), value);
		this.decoded[slot(hash)] = entry;
		this.last = entry;
	}

	private static int slot(int hash) {
		return (hash ^ (hash >>> 16)) & (DECODED_SLOTS - 1);
	}

	/**
	 * Whether {@code cached} holds exactly the first {@code length} bytes of
	 * {@code bytes}.
	 */
	private static boolean sameBytes(byte[] cached, byte[] bytes, int length) {
		if (cached.length != length) {
			return false;
		}
		if (length < 8) {
			for (int i = 0; i < length; i++) {
				if (cached[i] != bytes[i]) {
					return false;
				}
			}
			return true;
		}
		int i = 0;
		for (; i + 8 <= length; i += 8) {
			if ((long) LONGS.get(cached, i) != (long) LONGS.get(bytes, i)) {
				return false;
			}
		}
		return i == length || (long) LONGS.get(cached, length - 8) == (long) LONGS.get(bytes, length - 8);
	}

	/**
	 * A hash of every byte, read eight at a time (the last eight may overlap the ones
	 * before). Each word is rotated by its position and multiplied on its own, so the
	 * multiplications run side by side instead of one after another; one final mix
	 * spreads the bits.
	 */
	private static int hash(byte[] bytes, int length) {
		long hash = length;
		if (length >= 8) {
			int i = 0;
			for (; i + 8 <= length; i += 8) {
				hash += Long.rotateLeft((long) LONGS.get(bytes, i), i) * 0x9E3779B97F4A7C15L;
			}
			if (i < length) {
				hash += (long) LONGS.get(bytes, length - 8) * 0xC2B2AE3D27D4EB4FL;
			}
		}
		else {
			long word = 0;
			for (int i = 0; i < length; i++) {
				word = (word << 8) | (bytes[i] & 0xFF);
			}
			hash += word * 0x9E3779B97F4A7C15L;
		}
		hash = (hash ^ (hash >>> 31)) * 0xBF58476D1CE4E5B9L;
		return (int) (hash ^ (hash >>> 32));
	}

	private record Encoded(String topic, byte[] bytes) {
	}

	private record Decoded(int hash, byte[] bytes, String value) {
	}

}
