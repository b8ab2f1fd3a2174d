package io.umqtt.core.codec;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.umqtt.core.topic.Utf8;

/**
 * Topic names seen before, so that a repeated topic is neither encoded nor decoded again: most
 * traffic goes to a few topics. Two direct-mapped tables of immutable entries: the encoder's,
 * shared by every connection and keyed by the string's hash; and one per decoder, keyed by a hash
 * of the bytes. A collision replaces the slot, nothing is evicted otherwise, and only topics of
 * at most {@link #MAX_CACHED_BYTES} bytes are kept, so the memory is bounded. Entries are
 * immutable and written with a single reference store: readers on other threads see either the
 * old entry or the new one, never a torn one, so no lock is needed.
 */
final class TopicCache {

	/** Longer topics are encoded and decoded every time. */
	static final int MAX_CACHED_BYTES = 256;

	private static final int ENCODED_SLOTS = 1024;

	private static final int DECODED_SLOTS = 256;

	private static final Encoded[] ENCODED = new Encoded[ENCODED_SLOTS];

	private Decoded[] decoded;

	/**
	 * The UTF-8 bytes of a topic name, from the cache.
	 * @param topic the topic name
	 * @return its bytes, well-formed and at most {@link #MAX_CACHED_BYTES} long; {@code null} when
	 * the topic is longer or not well-formed, and the caller encodes it (and reports the error)
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
	 * {@linkplain #remember remembered} before.
	 * @return the string, or {@code null}
	 */
	String decoded(ByteBuf in, int index, int length) {
		Decoded[] table = this.decoded;
		if (table == null || length > MAX_CACHED_BYTES) {
			return null;
		}
		int hash = hash(in, index, length);
		Decoded entry = table[slot(hash)];
		if (entry != null && entry.hash == hash && entry.bytes.readableBytes() == length
				&& ByteBufUtil.equals(in, index, entry.bytes, 0, length)) {
			return entry.value;
		}
		return null;
	}

	/**
	 * Remembers a decoded and validated topic name.
	 * @param in the bytes it was decoded from
	 * @param index where they start
	 * @param length how many there are
	 * @param value the topic name
	 */
	void remember(ByteBuf in, int index, int length, String value) {
		if (length > MAX_CACHED_BYTES) {
			return;
		}
		Decoded[] table = this.decoded;
		if (table == null) {
			table = new Decoded[DECODED_SLOTS];
			this.decoded = table;
		}
		int hash = hash(in, index, length);
		table[slot(hash)] = new Decoded(hash, Unpooled.wrappedBuffer(ByteBufUtil.getBytes(in, index, length)), value);
	}

	private static int slot(int hash) {
		return (hash ^ (hash >>> 16)) & (DECODED_SLOTS - 1);
	}

	/** A hash of every byte, read eight at a time. */
	private static int hash(ByteBuf in, int index, int length) {
		long hash = length;
		int i = index;
		int end = index + length;
		for (; i + 8 <= end; i += 8) {
			hash = hash * 0x9E3779B97F4A7C15L + in.getLong(i);
		}
		for (; i < end; i++) {
			hash = hash * 31 + in.getByte(i);
		}
		hash *= 0x9E3779B97F4A7C15L;
		return (int) (hash ^ (hash >>> 32));
	}

	private record Encoded(String topic, byte[] bytes) {
	}

	private record Decoded(int hash, ByteBuf bytes, String value) {
	}

}
