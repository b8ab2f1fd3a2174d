package io.umqtt.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.session.SessionStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SessionStore} in one file per client id: an append-only log of the session's
 * changes, compacted into a snapshot of what is live once the log is more than twice the
 * size of that snapshot (and past 64 KiB). The layout is {@link LogFormat}'s: a header
 * with a format version, then records each with a CRC32C checksum.
 * <p>
 * Damage never costs an intact record silently. A record torn by a crash at the end of
 * the log is cut off; damaged bytes in the middle are skipped and every intact record
 * after them restored. Each is logged at WARN with the file, the offset and the bytes
 * dropped, and the log is rewritten clean. A failed write is cut off again, so the file
 * always says what the store says.
 * <p>
 * What is stored: the packet id, QoS, retain flag, topic and payload of each outgoing
 * message in flight, and the packet ids of received QoS 2 messages with their state; the
 * client id is part of the file name. Where POSIX permissions exist the directory is
 * created {@code rwx------} and the file {@code rw-------}; an existing file readable by
 * others draws a WARN. A {@link StoreCipher} seals topics and payloads.
 * <p>
 * The file is locked while a client uses it (an OS lock, released when the process ends
 * or opening fails, so no lock file is ever left behind): two clients cannot share a
 * session file. {@link FsyncPolicy} says when writes reach the disk.
 * <p>
 * Not thread-safe: called on the connection's event loop, like the session.
 * <p>
 * Its parts: {@link LogWriter} (the locked file, appending, syncing, compaction),
 * {@link LogReader} (streaming the records back, finding the way past damage),
 * {@link RecordCodec} (the records' bodies, sealed or not), {@link LiveState} (what is
 * live) and {@link StoreFiles} (the file system).
 */
public final class FileSessionStore implements SessionStore {

	/** When writes are forced to the disk. */
	public enum FsyncPolicy {

		/** After every record: survives a power cut, the slowest. */
		ALWAYS,

		/**
		 * Once per batch of protocol events, before the batch's packets are flushed to
		 * the network.
		 */
		BATCH,

		/** Left to the operating system: survives the process dying, not the machine. */
		NEVER

	}

	private static final Logger logger = LoggerFactory.getLogger(FileSessionStore.class);

	/** The log is not compacted below this size. */
	static final long COMPACTION_MINIMUM = 64 * 1024;

	private final Path file;

	private final FsyncPolicy fsync;

	private final @Nullable StoreCipher cipher;

	private final StoreFiles files;

	private final RecordCodec codec;

	private final LiveState state;

	private final LogWriter log;

	/**
	 * Opens (or creates) the store of {@code clientId} in {@code directory} and reads
	 * what it holds, keeping payloads in plain text.
	 * @param directory where session files live; created (owner-only) when missing
	 * @param clientId the client id the session belongs to
	 * @param fsync when writes reach the disk
	 * @throws IllegalStateException when another client holds the file, or it cannot be
	 * read back
	 * @throws UncheckedIOException when the file cannot be opened, read or repaired
	 */
	public FileSessionStore(Path directory, String clientId, FsyncPolicy fsync) {
		this(directory, clientId, fsync, null, StoreFiles.SYSTEM);
	}

	/**
	 * Opens (or creates) the store of {@code clientId} in {@code directory} and reads
	 * what it holds, sealing topics and payloads with {@code cipher}. A store written
	 * without a cipher is read and rewritten sealed; one sealed with another key fails to
	 * open.
	 * @param directory where session files live; created (owner-only) when missing
	 * @param clientId the client id the session belongs to
	 * @param fsync when writes reach the disk
	 * @param cipher seals topics and payloads at rest
	 * @throws IllegalStateException when another client holds the file, or it cannot be
	 * read back (among others: sealed with another key)
	 * @throws UncheckedIOException when the file cannot be opened, read or repaired
	 */
	public FileSessionStore(Path directory, String clientId, FsyncPolicy fsync, StoreCipher cipher) {
		this(directory, clientId, fsync, requireCipher(cipher), StoreFiles.SYSTEM);
	}

	FileSessionStore(Path directory, String clientId, FsyncPolicy fsync, @Nullable StoreCipher cipher,
			StoreFiles files) {
		this.fsync = fsync;
		this.cipher = cipher;
		this.files = files;
		this.file = directory.resolve(fileName(clientId));
		this.codec = new RecordCodec(this.file, cipher);
		this.state = new LiveState((cipher != null) ? sealOverhead(cipher, this.file) : 0);
		try {
			files.createDirectories(directory);
			this.log = new LogWriter(this.file, fsync, files, cipher != null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open the session store " + this.file, ex);
		}
		try {
			warnIfAccessibleToOthers();
			replay();
		}
		catch (IOException ex) {
			this.log.releaseAfterFailure(ex);
			throw new UncheckedIOException("Cannot read the session store " + this.file, ex);
		}
		catch (RuntimeException | Error ex) {
			this.log.releaseAfterFailure(ex);
			throw ex;
		}
	}

	private static StoreCipher requireCipher(@Nullable StoreCipher cipher) {
		if (cipher == null) {
			throw new IllegalArgumentException(
					"A StoreCipher is required; use the constructor without one for plain text");
		}
		return cipher;
	}

	private static int sealOverhead(StoreCipher cipher, Path file) {
		try {
			return cipher.seal(new byte[0]).length;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Session store " + file + ": the StoreCipher cannot seal", ex);
		}
	}

	private static String fileName(String clientId) {
		StringBuilder name = new StringBuilder("session-");
		for (char c : clientId.toCharArray()) {
			name.append((Character.isLetterOrDigit(c) || c == '-' || c == '_') ? c : '_');
		}
		// the hash keeps ids that differ only in replaced characters apart
		return name.append('-').append(Integer.toHexString(clientId.hashCode())).append(".log").toString();
	}

	private void warnIfAccessibleToOthers() throws IOException {
		if (this.files.accessibleToOthers(this.file)) {
			logger.warn(
					"Session store {} can be read or written by other users; it holds topics and payloads "
							+ "of messages in flight. Make it owner-only (chmod 600), or let umqtt create it",
					this.file);
		}
	}

	/** The file the session is kept in. */
	public Path file() {
		return this.file;
	}

	// ---- recovery: the log read back into the state, damage repaired ----

	private void replay() throws IOException {
		long size = this.log.channel().size();
		ByteBuffer header = ByteBuffer.allocate((int) Math.min(size, LogFormat.HEADER_BYTES));
		this.log.channel().read(header, 0);
		header.flip();
		Replay replay = new Replay();
		if (size == 0) {
			this.log.startEmpty();
			return;
		}
		long end = LogFormat.HEADER_BYTES;
		if (size >= 4 && header.getInt(0) == LogFormat.MAGIC) {
			end = replayVersion2(header, size, replay);
		}
		else if (isTornHeader(header)) {
			logger.warn("Session store {}: dropped {} bytes, a header torn by a crash when the file was created",
					this.file, size);
			replay.rewrite = true;
		}
		else {
			logger.info("Session store {} is in the format of umqtt before checksums; converting it", this.file);
			replay.layout = RecordCodec.Layout.LEGACY;
			LogReader.readLegacy(this.log.channel(), replay);
			replay.rewrite = true;
		}
		if (replay.rewrite) {
			this.log.compact(this.state, this.codec);
		}
		else {
			this.log.replayedUpTo(end);
		}
	}

	private long replayVersion2(ByteBuffer header, long size, Replay replay) throws IOException {
		if (size < LogFormat.HEADER_BYTES) {
			logger.warn("Session store {}: dropped {} bytes, a header torn by a crash when the file was created",
					this.file, size);
			replay.rewrite = true;
			return LogFormat.HEADER_BYTES;
		}
		int version = header.get(4);
		if (version != LogFormat.VERSION) {
			throw new IllegalStateException("Session store " + this.file + " has format version " + version
					+ "; this umqtt reads version " + LogFormat.VERSION + " (and converts the older format)");
		}
		boolean sealed = (header.get(5) & LogFormat.FLAG_SEALED) != 0;
		if (sealed && this.cipher == null) {
			throw new IllegalStateException("Session store " + this.file
					+ " holds sealed topics and payloads: open it with the StoreCipher it was written with");
		}
		replay.layout = sealed ? RecordCodec.Layout.SEALED : RecordCodec.Layout.PLAIN;
		replay.rewrite = !sealed && this.cipher != null;
		return LogReader.read(this.log.channel(), LogFormat.HEADER_BYTES, replay);
	}

	private static boolean isTornHeader(ByteBuffer header) {
		ByteBuffer full = LogFormat.header(false);
		for (int i = 0; i < Math.min(header.limit(), 4); i++) {
			if (header.get(i) != full.get(i)) {
				return false;
			}
		}
		return header.limit() < 4;
	}

	/** Applies what the log holds to the state, and notes what must be repaired. */
	private final class Replay implements LogReader.Handler {

		RecordCodec.Layout layout = RecordCodec.Layout.PLAIN;

		boolean rewrite;

		@Override
		public void record(long offset, ByteBuffer body) {
			FileSessionStore.this.codec.apply(offset, body, this.layout, FileSessionStore.this.state);
			FileSessionStore.this.log.replayed();
		}

		@Override
		public void damaged(long offset, long bytes, boolean tail) {
			this.rewrite = true;
			if (tail) {
				logger.warn("Session store {}: dropped {} bytes from offset {}: a record torn by a crash or damaged, "
						+ "and nothing intact after it", FileSessionStore.this.file, bytes, offset);
			}
			else {
				logger.warn("Session store {}: skipped {} damaged bytes at offset {} and restored the intact records "
						+ "after them; the changes those bytes held (messages in flight or their acknowledgements) "
						+ "are lost", FileSessionStore.this.file, bytes, offset);
			}
		}

	}

	// ---- the session's changes: each written to the log, then applied to the state ----

	@Override
	public State load() {
		return this.state.load();
	}

	@Override
	public void outgoingSent(int packetId, String topic, int qos, boolean retain, byte[] payload) {
		Outgoing message = new Outgoing(packetId, topic, qos, retain, payload, false);
		this.log.append(this.codec.sentBody(message));
		this.state.putOutgoing(message);
	}

	@Override
	public void outgoingSent(int packetId, String topic, int qos, boolean retain, byte[] payload,
			PacketProperties properties) {
		Outgoing message = new Outgoing(packetId, topic, qos, retain, payload, false, properties);
		this.log.append(this.codec.sentBody(message));
		this.state.putOutgoing(message);
	}

	@Override
	public void outgoingReleased(int packetId) {
		this.log.append(RecordCodec.idBody(RecordCodec.OUT_RELEASED, packetId));
		this.state.releaseOutgoing(packetId);
	}

	@Override
	public void outgoingDone(int packetId) {
		if (this.state.hasOutgoing(packetId)) {
			this.log.append(RecordCodec.idBody(RecordCodec.OUT_DONE, packetId));
			this.state.removeOutgoing(packetId);
		}
	}

	@Override
	public void incomingReceived(int packetId) {
		this.log.append(RecordCodec.idBody(RecordCodec.IN_RECEIVED, packetId));
		this.state.putIncoming(packetId, false);
	}

	@Override
	public void incomingDelivered(int packetId) {
		this.log.append(RecordCodec.idBody(RecordCodec.IN_DELIVERED, packetId));
		this.state.putIncoming(packetId, true);
	}

	@Override
	public void incomingReleased(int packetId) {
		if (this.state.hasIncoming(packetId)) {
			this.log.append(RecordCodec.idBody(RecordCodec.IN_RELEASED, packetId));
			this.state.removeIncoming(packetId);
		}
	}

	@Override
	public void clear() {
		this.log.append(RecordCodec.clearBody());
		this.state.clear();
	}

	@Override
	public void flush() {
		this.log.flush(this.state, this.codec);
	}

	/** Records in the log now, live or not. */
	public long records() {
		return this.log.records();
	}

	@Override
	public void close() {
		this.log.close();
	}

	@Override
	public String toString() {
		return "FileSessionStore[" + this.file + ", fsync " + this.fsync + ((this.cipher != null) ? ", sealed" : "")
				+ "]";
	}

}
