package io.umqtt.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.umqtt.core.session.SessionStore.Outgoing;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing side of a session log: the locked file, records appended at its end (cut
 * off again when a write fails, so that file and state keep agreeing), syncs by the
 * {@link FileSessionStore.FsyncPolicy}, and compaction into a snapshot of the live state
 * once the log is more than twice its size (and past
 * {@link FileSessionStore#COMPACTION_MINIMUM}). Confined to the store's thread.
 */
final class LogWriter {

	/** Logged under the store's name: what a user configures and looks for. */
	private static final Logger logger = LoggerFactory.getLogger(FileSessionStore.class);

	private final Path file;

	private final FileSessionStore.FsyncPolicy fsync;

	private final StoreFiles files;

	/**
	 * Whether topics and payloads are sealed: said in the header of every file written.
	 */
	private final boolean sealed;

	private FileChannel channel;

	/** Held while the store is open; released with the channel. */
	@SuppressWarnings("unused")
	private FileLock lock;

	/** Where the log's last record ends: the next one is written there. */
	private long end;

	/** After a failed compaction: the size the log must reach before the next attempt. */
	private long compactionRetry;

	private long records;

	private boolean dirty;

	/** Set when a failed write could not be cut off: the store refuses further writes. */
	private @Nullable IOException broken;

	/**
	 * Opens and locks {@code file}, creating it owner-only when missing.
	 * @throws IllegalStateException when another client holds it
	 */
	LogWriter(Path file, FileSessionStore.FsyncPolicy fsync, StoreFiles files, boolean sealed) throws IOException {
		this.file = file;
		this.fsync = fsync;
		this.files = files;
		this.sealed = sealed;
		this.channel = files.open(file);
		this.lock = tryLock(this.channel);
	}

	private FileLock tryLock(FileChannel candidate) throws IOException {
		FileLock taken;
		try {
			taken = candidate.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			taken = null;
		}
		if (taken == null) {
			candidate.close();
			throw new IllegalStateException("Session store " + this.file + " is in use by another client");
		}
		return taken;
	}

	/** The log, to replay it from. */
	FileChannel channel() {
		return this.channel;
	}

	/** A new, empty file: writes its header (and makes its directory entry last). */
	void startEmpty() throws IOException {
		writeHeader(this.channel);
		if (this.fsync != FileSessionStore.FsyncPolicy.NEVER) {
			this.files.syncDirectory(this.file.getParent());
		}
		this.end = LogFormat.HEADER_BYTES;
	}

	/** The replay found an intact record. */
	void replayed() {
		this.records++;
	}

	/**
	 * The replay ended: records go on at {@code end}, and anything after it is cut off.
	 */
	void replayedUpTo(long end) throws IOException {
		this.end = end;
		if (end < this.channel.size()) {
			this.channel.truncate(end);
		}
	}

	/**
	 * Opening failed after the file was locked: unlock and close it, keeping the first
	 * failure.
	 */
	void releaseAfterFailure(Throwable failure) {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
	}

	/**
	 * Writes a record at the end of the log. When writing or syncing fails (a full disk),
	 * what was written of it is cut off again, so the state, which the caller changes
	 * only afterwards, and the file keep saying the same.
	 */
	void append(ByteBuffer body) {
		if (this.broken != null) {
			throw new UncheckedIOException(
					"Session store " + this.file + " refuses writes: an earlier failed write could not be cut off",
					this.broken);
		}
		ByteBuffer record = LogFormat.record(body);
		int size = record.remaining();
		try {
			writeFully(this.channel, record, this.end);
			if (this.fsync == FileSessionStore.FsyncPolicy.ALWAYS) {
				this.channel.force(false);
			}
		}
		catch (IOException ex) {
			try {
				this.channel.truncate(this.end);
			}
			catch (IOException truncation) {
				ex.addSuppressed(truncation);
				this.broken = ex;
			}
			throw new UncheckedIOException(
					"Cannot write the session store " + this.file + " at offset " + this.end + " (" + size + " bytes)",
					ex);
		}
		this.end += size;
		this.records++;
		this.dirty = this.fsync == FileSessionStore.FsyncPolicy.BATCH;
	}

	private static void writeFully(FileChannel target, ByteBuffer buffer, long position) throws IOException {
		long at = position;
		while (buffer.hasRemaining()) {
			at += target.write(buffer, at);
		}
	}

	private void writeHeader(FileChannel target) throws IOException {
		writeFully(target, LogFormat.header(this.sealed), 0);
		if (this.fsync != FileSessionStore.FsyncPolicy.NEVER) {
			target.force(true);
		}
	}

	/**
	 * The end of a batch: syncs what the batch wrote (BATCH), then compacts when the log
	 * has grown past twice the live state. A failed compaction loses nothing and is tried
	 * again later.
	 */
	void flush(LiveState state, RecordCodec codec) {
		try {
			if (this.dirty) {
				this.channel.force(false);
			}
			this.dirty = false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot flush the session store " + this.file, ex);
		}
		long live = state.liveBytes();
		if (this.end > Math.max(FileSessionStore.COMPACTION_MINIMUM, 2 * live) && this.end >= this.compactionRetry) {
			try {
				compact(state, codec);
			}
			catch (IOException | RuntimeException ex) {
				// nothing is lost: the log stays as it is and keeps growing until the
				// next attempt
				this.compactionRetry = this.end + Math.max(FileSessionStore.COMPACTION_MINIMUM, live);
				logger.warn("Session store {}: compaction failed; the log ({} bytes) is kept and compaction is tried "
						+ "again past {} bytes", this.file, this.end, this.compactionRetry, ex);
			}
		}
	}

	/**
	 * Rewrites the log as a snapshot of what is live, in a locked file beside it, and
	 * renames that over the log. The state is not touched; a failure leaves the log as it
	 * was.
	 */
	void compact(LiveState state, RecordCodec codec) throws IOException {
		Path tmp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
		FileChannel snapshot = this.files.create(tmp);
		FileLock snapshotLock;
		long written;
		long count = 0;
		try {
			snapshotLock = tryLock(snapshot);
			writeHeader(snapshot);
			written = LogFormat.HEADER_BYTES;
			for (Outgoing message : state.outgoing.values()) {
				written += writeRecord(snapshot, codec.sentBody(message), written);
				count++;
				if (message.released()) {
					written += writeRecord(snapshot, RecordCodec.idBody(RecordCodec.OUT_RELEASED, message.packetId()),
							written);
					count++;
				}
			}
			for (Map.Entry<Integer, Boolean> entry : state.incoming.entrySet()) {
				written += writeRecord(snapshot, RecordCodec
					.idBody(entry.getValue() ? RecordCodec.IN_DELIVERED : RecordCodec.IN_RECEIVED, entry.getKey()),
						written);
				count++;
			}
			if (this.fsync != FileSessionStore.FsyncPolicy.NEVER) {
				snapshot.force(true);
			}
			this.files.replace(tmp, this.file);
		}
		catch (IOException | RuntimeException ex) {
			discard(snapshot, tmp, ex);
			throw ex;
		}
		FileChannel old = this.channel;
		this.channel = snapshot;
		this.lock = snapshotLock;
		this.end = written;
		this.records = count;
		this.dirty = false;
		this.compactionRetry = 0;
		old.close();
		// the rename is durable only once the directory entry is
		if (this.fsync != FileSessionStore.FsyncPolicy.NEVER) {
			this.files.syncDirectory(this.file.getParent());
		}
	}

	private static int writeRecord(FileChannel target, ByteBuffer body, long position) throws IOException {
		ByteBuffer record = LogFormat.record(body);
		int size = record.remaining();
		writeFully(target, record, position);
		return size;
	}

	private static void discard(FileChannel snapshot, Path tmp, Exception failure) {
		try {
			snapshot.close();
			Files.deleteIfExists(tmp);
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
	}

	/** Records in the log now, live or not. */
	long records() {
		return this.records;
	}

	void close() {
		if (!this.channel.isOpen()) {
			return;
		}
		try {
			if (this.dirty) {
				this.channel.force(false);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot close the session store " + this.file, ex);
		}
		finally {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				logger.warn("Session store {}: closing the file failed", this.file, ex);
			}
		}
	}

}
