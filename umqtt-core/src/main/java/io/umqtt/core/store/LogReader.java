package io.umqtt.core.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Streams the records of a session log from its file, a window at a time (never the whole
 * file), and finds its way past damage: after a record whose marker, length or checksum
 * is wrong it searches forward for the next intact record and reports the bytes in
 * between. No allocation is larger than the window or a record whose length fits both
 * {@link LogFormat#MAX_BODY} and what is left of the file.
 * <p>
 * Confined to the thread that opens the store.
 */
final class LogReader {

	/** Receives what the reader finds, in file order. */
	interface Handler {

		/**
		 * An intact record.
		 * @param offset where it starts in the file
		 * @param body its body, valid until this method returns
		 */
		void record(long offset, ByteBuffer body);

		/**
		 * Bytes that hold no intact record.
		 * @param offset where they start
		 * @param bytes how many
		 * @param tail whether nothing intact follows them (the log ends with them)
		 */
		void damaged(long offset, long bytes, boolean tail);

	}

	private static final int WINDOW = 64 * 1024;

	private final FileChannel channel;

	private final long size;

	private final ByteBuffer window = ByteBuffer.allocate(WINDOW);

	private long windowStart;

	private LogReader(FileChannel channel, long size) {
		this.channel = channel;
		this.size = size;
		this.window.limit(0);
	}

	/**
	 * Reads version 2 records from {@code start}.
	 * @return where the last intact record ends: where the next one goes
	 */
	static long read(FileChannel channel, long start, Handler handler) throws IOException {
		LogReader reader = new LogReader(channel, channel.size());
		long position = start;
		long end = start;
		while (position < reader.size) {
			int length = reader.intactRecordAt(position);
			if (length >= 0) {
				handler.record(position, reader.bytes(position + LogFormat.RECORD_OVERHEAD, length));
				position += LogFormat.RECORD_OVERHEAD + length;
				end = position;
				continue;
			}
			long next = reader.nextIntactRecord(position + 1);
			if (next < 0) {
				handler.damaged(position, reader.size - position, true);
				return end;
			}
			handler.damaged(position, next - position, false);
			position = next;
		}
		return end;
	}

	/**
	 * Reads version 1 records (no checksum, so no way past damage) from the start of the
	 * file.
	 * @return where the last whole record ends
	 */
	static long readLegacy(FileChannel channel, Handler handler) throws IOException {
		LogReader reader = new LogReader(channel, channel.size());
		long position = 0;
		while (position < reader.size) {
			long left = reader.size - position - LogFormat.LEGACY_RECORD_OVERHEAD;
			int length = (left < 0) ? -1 : reader.bytes(position, 4).getInt();
			if (length < 1 || length > LogFormat.MAX_BODY || length > left) {
				handler.damaged(position, reader.size - position, true);
				return position;
			}
			handler.record(position, reader.bytes(position + LogFormat.LEGACY_RECORD_OVERHEAD, length));
			position += LogFormat.LEGACY_RECORD_OVERHEAD + length;
		}
		return position;
	}

	/** The body length of the intact record at {@code position}, or -1. */
	private int intactRecordAt(long position) throws IOException {
		long left = this.size - position - LogFormat.RECORD_OVERHEAD;
		if (left < 1) {
			return -1;
		}
		ByteBuffer head = bytes(position, LogFormat.RECORD_OVERHEAD);
		if (head.get() != LogFormat.MARKER) {
			return -1;
		}
		int length = head.getInt();
		int crc = head.getInt();
		if (length < 1 || length > LogFormat.MAX_BODY || length > left) {
			return -1;
		}
		return (LogFormat.crc(length, bytes(position + LogFormat.RECORD_OVERHEAD, length)) == crc) ? length : -1;
	}

	private long nextIntactRecord(long from) throws IOException {
		for (long position = from; position + LogFormat.RECORD_OVERHEAD < this.size; position++) {
			if (byteAt(position) == LogFormat.MARKER && intactRecordAt(position) >= 0) {
				return position;
			}
		}
		return -1;
	}

	private byte byteAt(long position) throws IOException {
		return bytes(position, 1).get();
	}

	/**
	 * {@code length} bytes of the file at {@code position}: a view of the window when
	 * they fit in it, else a buffer of their own. Valid until the next call.
	 */
	private ByteBuffer bytes(long position, int length) throws IOException {
		if (position >= this.windowStart && position + length <= this.windowStart + this.window.limit()) {
			int from = (int) (position - this.windowStart);
			return this.window.duplicate().position(from).limit(from + length).slice();
		}
		if (length > WINDOW) {
			ByteBuffer own = ByteBuffer.allocate(length);
			fill(own, position);
			return own.flip();
		}
		this.window.clear();
		this.window.limit((int) Math.min(WINDOW, this.size - position));
		fill(this.window, position);
		this.window.flip();
		this.windowStart = position;
		if (this.window.limit() < length) {
			throw new EOFException("Expected " + length + " bytes at offset " + position + ", the file ends before");
		}
		return this.window.duplicate().limit(length).slice();
	}

	private void fill(ByteBuffer buffer, long position) throws IOException {
		long at = position;
		while (buffer.hasRemaining()) {
			int read = this.channel.read(buffer, at);
			if (read < 0) {
				throw new EOFException("The file ended at offset " + at + " while reading it");
			}
			at += read;
		}
	}

}
