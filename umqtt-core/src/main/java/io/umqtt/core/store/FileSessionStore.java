package io.umqtt.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.umqtt.core.session.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SessionStore} in one file per client id: an append-only log of the session's changes,
 * compacted into a snapshot of what is live once the log is more than twice the size of that
 * snapshot (and past 64 KiB). The layout is {@link LogFormat}'s: a header with a format version,
 * then records each with a CRC32C checksum.
 * <p>
 * Damage never costs an intact record silently. A record torn by a crash at the end of the log is
 * cut off; damaged bytes in the middle are skipped and every intact record after them restored.
 * Each is logged at WARN with the file, the offset and the bytes dropped, and the log is rewritten
 * clean. A failed write is cut off again, so the file always says what the store says.
 * <p>
 * What is stored: the packet id, QoS, retain flag, topic and payload of each outgoing message in
 * flight, and the packet ids of received QoS 2 messages with their state; the client id is part
 * of the file name. Where POSIX permissions exist the directory is created {@code rwx------} and
 * the file {@code rw-------}; an existing file readable by others draws a WARN. A
 * {@link StoreCipher} seals topics and payloads.
 * <p>
 * The file is locked while a client uses it (an OS lock, released when the process ends or opening
 * fails, so no lock file is ever left behind): two clients cannot share a session file.
 * {@link FsyncPolicy} says when writes reach the disk.
 * <p>
 * Not thread-safe: called on the connection's event loop, like the session.
 */
public final class FileSessionStore implements SessionStore {

	/** When writes are forced to the disk. */
	public enum FsyncPolicy {

		/** After every record: survives a power cut, the slowest. */
		ALWAYS,

		/** Once per batch of protocol events, before the batch's packets are flushed to the network. */
		BATCH,

		/** Left to the operating system: survives the process dying, not the machine. */
		NEVER

	}

	private static final Logger logger = LoggerFactory.getLogger(FileSessionStore.class);

	/** The log is not compacted below this size. */
	static final long COMPACTION_MINIMUM = 64 * 1024;

	private static final byte OUT_SENT = 1;

	private static final byte OUT_RELEASED = 2;

	private static final byte OUT_DONE = 3;

	private static final byte IN_RECEIVED = 4;

	private static final byte IN_DELIVERED = 5;

	private static final byte IN_RELEASED = 6;

	private static final byte CLEAR = 7;

	/** Record bytes of a change that carries a packet id only. */
	private static final int ID_RECORD = LogFormat.RECORD_OVERHEAD + LogFormat.ID_BODY;

	private final Path file;

	private final FsyncPolicy fsync;

	private final StoreCipher cipher;

	private final StoreFiles files;

	/** What the cipher adds to each message, counted in {@link #liveBytes} so that compaction does not run too early. */
	private final int sealOverhead;

	private final LinkedHashMap<Integer, Outgoing> outgoing = new LinkedHashMap<>();

	/** Received QoS 2 ids; the value says whether delivered. */
	private final LinkedHashMap<Integer, Boolean> incoming = new LinkedHashMap<>();

	private FileChannel channel;

	private FileLock lock;

	/** Where the log's last record ends: the next one is written there. */
	private long end;

	/** The size a snapshot of the live state would have. */
	private long liveBytes = LogFormat.HEADER_BYTES;

	/** After a failed compaction: the size the log must reach before the next attempt. */
	private long compactionRetry;

	private long records;

	private boolean dirty;

	/** Set when a failed write could not be cut off: the store refuses further writes. */
	private IOException broken;

	/**
	 * Opens (or creates) the store of {@code clientId} in {@code directory} and reads what it holds,
	 * keeping payloads in plain text.
	 * @param directory where session files live; created (owner-only) when missing
	 * @param clientId the client id the session belongs to
	 * @param fsync when writes reach the disk
	 * @throws IllegalStateException when another client holds the file, or it cannot be read back
	 * @throws UncheckedIOException when the file cannot be opened, read or repaired
	 */
	public FileSessionStore(Path directory, String clientId, FsyncPolicy fsync) {
		this(directory, clientId, fsync, null, StoreFiles.SYSTEM);
	}

	/**
	 * Opens (or creates) the store of {@code clientId} in {@code directory} and reads what it holds,
	 * sealing topics and payloads with {@code cipher}. A store written without a cipher is read and
	 * rewritten sealed; one sealed with another key fails to open.
	 * @param directory where session files live; created (owner-only) when missing
	 * @param clientId the client id the session belongs to
	 * @param fsync when writes reach the disk
	 * @param cipher seals topics and payloads at rest
	 * @throws IllegalStateException when another client holds the file, or it cannot be read back
	 * (among others: sealed with another key)
	 * @throws UncheckedIOException when the file cannot be opened, read or repaired
	 */
	public FileSessionStore(Path directory, String clientId, FsyncPolicy fsync, StoreCipher cipher) {
		this(directory, clientId, fsync, requireCipher(cipher), StoreFiles.SYSTEM);
	}

	FileSessionStore(Path directory, String clientId, FsyncPolicy fsync, StoreCipher cipher, StoreFiles files) {
		this.fsync = fsync;
		this.cipher = cipher;
		this.files = files;
		this.file = directory.resolve(fileName(clientId));
		this.sealOverhead = (cipher != null) ? sealOverhead(cipher, this.file) : 0;
		try {
			files.createDirectories(directory);
			lockedOpen();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open the session store " + this.file, ex);
		}
		try {
			warnIfAccessibleToOthers();
			replay();
		}
		catch (IOException ex) {
			releaseAfterFailure(ex);
			throw new UncheckedIOException("Cannot read the session store " + this.file, ex);
		}
		catch (RuntimeException | Error ex) {
			releaseAfterFailure(ex);
			throw ex;
		}
	}

	private static StoreCipher requireCipher(StoreCipher cipher) {
		if (cipher == null) {
			throw new IllegalArgumentException("A StoreCipher is required; use the constructor without one for plain text");
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
			name.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' ? c : '_');
		}
		// the hash keeps ids that differ only in replaced characters apart
		return name.append('-').append(Integer.toHexString(clientId.hashCode())).append(".log").toString();
	}

	private void lockedOpen() throws IOException {
		this.channel = this.files.open(this.file);
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

	/** Opening failed after the file was locked: unlock and close it, keeping the first failure. */
	private void releaseAfterFailure(Throwable failure) {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
	}

	private void warnIfAccessibleToOthers() throws IOException {
		if (this.files.accessibleToOthers(this.file)) {
			logger.warn("Session store {} can be read or written by other users; it holds topics and payloads "
					+ "of messages in flight. Make it owner-only (chmod 600), or let umqtt create it", this.file);
		}
	}

	/** The file the session is kept in. */
	public Path file() {
		return this.file;
	}

	private void replay() throws IOException {
		long size = this.channel.size();
		ByteBuffer header = ByteBuffer.allocate((int) Math.min(size, LogFormat.HEADER_BYTES));
		this.channel.read(header, 0);
		header.flip();
		Replay replay = new Replay();
		if (size == 0) {
			writeHeader(this.channel);
			if (this.fsync != FsyncPolicy.NEVER) {
				// a new file: its directory entry must last too
				this.files.syncDirectory(this.file.getParent());
			}
			this.end = LogFormat.HEADER_BYTES;
			return;
		}
		if (size >= 4 && header.getInt(0) == LogFormat.MAGIC) {
			this.end = replayVersion2(header, size, replay);
		}
		else if (isTornHeader(header)) {
			logger.warn("Session store {}: dropped {} bytes, a header torn by a crash when the file was created",
					this.file, size);
			replay.rewrite = true;
		}
		else {
			logger.info("Session store {} is in the format of umqtt before checksums; converting it", this.file);
			this.end = LogFormat.HEADER_BYTES;
			replay.legacy = true;
			LogReader.readLegacy(this.channel, replay);
			replay.rewrite = true;
		}
		if (replay.rewrite) {
			compact();
		}
		else if (this.end < size) {
			this.channel.truncate(this.end);
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
		replay.sealed = (header.get(5) & LogFormat.FLAG_SEALED) != 0;
		if (replay.sealed && this.cipher == null) {
			throw new IllegalStateException("Session store " + this.file
					+ " holds sealed topics and payloads: open it with the StoreCipher it was written with");
		}
		replay.rewrite = !replay.sealed && this.cipher != null;
		return LogReader.read(this.channel, LogFormat.HEADER_BYTES, replay);
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

		boolean sealed;

		boolean legacy;

		boolean rewrite;

		@Override
		public void record(long offset, ByteBuffer body) {
			apply(offset, body, this);
			FileSessionStore.this.records++;
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

	private void apply(long offset, ByteBuffer record, Replay replay) {
		byte type = record.get();
		int expected = switch (type) {
			case OUT_SENT -> LogFormat.ID_BODY + 2;
			case OUT_RELEASED, OUT_DONE, IN_RECEIVED, IN_DELIVERED, IN_RELEASED -> LogFormat.ID_BODY;
			case CLEAR -> 1;
			default -> throw malformed(offset, "an unknown record type " + type);
		};
		if (record.limit() < expected || (type != OUT_SENT && record.limit() != expected)) {
			throw malformed(offset, "a record of type " + type + " with " + record.limit() + " bytes");
		}
		switch (type) {
			case OUT_SENT -> {
				int id = record.getInt();
				int qos = record.get();
				boolean retain = record.get() != 0;
				putOutgoing(readMessage(offset, id, qos, retain, record, replay));
			}
			case OUT_RELEASED -> releaseOutgoing(record.getInt());
			case OUT_DONE -> removeOutgoing(record.getInt());
			case IN_RECEIVED -> putIncoming(record.getInt(), false);
			case IN_DELIVERED -> putIncoming(record.getInt(), true);
			case IN_RELEASED -> removeIncoming(record.getInt());
			default -> clearState();
		}
	}

	private Outgoing readMessage(long offset, int id, int qos, boolean retain, ByteBuffer record, Replay replay) {
		if (replay.legacy) {
			return readLegacyMessage(offset, id, qos, retain, record);
		}
		ByteBuffer message = record;
		if (replay.sealed) {
			byte[] sealed = new byte[record.remaining()];
			record.get(sealed);
			try {
				message = ByteBuffer.wrap(this.cipher.open(sealed));
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("Session store " + this.file + ": the message at offset " + offset
						+ " cannot be opened with this StoreCipher (another key, or not sealed by it)", ex);
			}
		}
		return decodeMessage(offset, id, qos, retain, message);
	}

	/** Version 1: {@code [short topic length][topic][int payload length][payload]}. */
	private Outgoing readLegacyMessage(long offset, int id, int qos, boolean retain, ByteBuffer record) {
		if (record.remaining() < 2) {
			throw malformed(offset, "a message without a topic length");
		}
		int topicLength = record.getShort(record.position()) & 0xFFFF;
		int payloadAt = record.position() + 2 + topicLength;
		if (record.limit() - payloadAt < 4 || record.getInt(payloadAt) != record.limit() - payloadAt - 4) {
			throw malformed(offset, "a message whose topic and payload lengths do not add up to its record");
		}
		byte[] topic = new byte[topicLength];
		record.getShort();
		record.get(topic);
		byte[] payload = new byte[record.getInt()];
		record.get(payload);
		return new Outgoing(id, new String(topic, StandardCharsets.UTF_8), qos, retain, payload, false);
	}

	private Outgoing decodeMessage(long offset, int id, int qos, boolean retain, ByteBuffer message) {
		if (message.remaining() < 2 || message.remaining() - 2 < (message.getShort(message.position()) & 0xFFFF)) {
			throw malformed(offset, "a message whose topic length exceeds the record");
		}
		byte[] topic = new byte[message.getShort() & 0xFFFF];
		message.get(topic);
		byte[] payload = new byte[message.remaining()];
		message.get(payload);
		return new Outgoing(id, new String(topic, StandardCharsets.UTF_8), qos, retain, payload, false);
	}

	private IllegalStateException malformed(long offset, String what) {
		return new IllegalStateException("Session store " + this.file + " holds " + what + " at offset " + offset
				+ " (its checksum is right, so it was written so: by a newer umqtt, or a fault)");
	}

	@Override
	public State load() {
		List<Integer> received = new ArrayList<>();
		List<Integer> delivered = new ArrayList<>();
		for (Map.Entry<Integer, Boolean> entry : this.incoming.entrySet()) {
			(entry.getValue() ? delivered : received).add(entry.getKey());
		}
		return new State(List.copyOf(this.outgoing.values()), received, delivered);
	}

	@Override
	public void outgoingSent(int packetId, String topic, int qos, boolean retain, byte[] payload) {
		Outgoing message = new Outgoing(packetId, topic, qos, retain, payload, false);
		append(sentBody(message));
		putOutgoing(message);
	}

	@Override
	public void outgoingReleased(int packetId) {
		append(idBody(OUT_RELEASED, packetId));
		releaseOutgoing(packetId);
	}

	@Override
	public void outgoingDone(int packetId) {
		if (this.outgoing.containsKey(packetId)) {
			append(idBody(OUT_DONE, packetId));
			removeOutgoing(packetId);
		}
	}

	@Override
	public void incomingReceived(int packetId) {
		append(idBody(IN_RECEIVED, packetId));
		putIncoming(packetId, false);
	}

	@Override
	public void incomingDelivered(int packetId) {
		append(idBody(IN_DELIVERED, packetId));
		putIncoming(packetId, true);
	}

	@Override
	public void incomingReleased(int packetId) {
		if (this.incoming.containsKey(packetId)) {
			append(idBody(IN_RELEASED, packetId));
			removeIncoming(packetId);
		}
	}

	@Override
	public void clear() {
		append(ByteBuffer.allocate(1).put(CLEAR).flip());
		clearState();
	}

	// the state, and the size of its snapshot, change only here

	private void putOutgoing(Outgoing message) {
		removeOutgoing(message.packetId());
		this.outgoing.put(message.packetId(), message);
		this.liveBytes += sentRecordBytes(message);
	}

	private void releaseOutgoing(int packetId) {
		Outgoing sent = this.outgoing.get(packetId);
		if (sent != null && !sent.released()) {
			this.outgoing.put(packetId, new Outgoing(packetId, sent.topic(), sent.qos(), sent.retain(), sent.payload(), true));
			this.liveBytes += ID_RECORD;
		}
	}

	private void removeOutgoing(int packetId) {
		Outgoing removed = this.outgoing.remove(packetId);
		if (removed != null) {
			this.liveBytes -= sentRecordBytes(removed) + (removed.released() ? ID_RECORD : 0);
		}
	}

	private void putIncoming(int packetId, boolean delivered) {
		if (this.incoming.put(packetId, delivered) == null) {
			this.liveBytes += ID_RECORD;
		}
	}

	private void removeIncoming(int packetId) {
		if (this.incoming.remove(packetId) != null) {
			this.liveBytes -= ID_RECORD;
		}
	}

	private void clearState() {
		this.outgoing.clear();
		this.incoming.clear();
		this.liveBytes = LogFormat.HEADER_BYTES;
	}

	private long sentRecordBytes(Outgoing message) {
		return LogFormat.RECORD_OVERHEAD + LogFormat.ID_BODY + 2 + 2 + this.sealOverhead
				+ (long) utf8Length(message.topic()) + message.payload().length;
	}

	private static int utf8Length(String text) {
		int length = text.length();
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				length += (c < 0x800 || Character.isSurrogate(c)) ? 1 : 2;
			}
		}
		return length;
	}

	// records

	private ByteBuffer sentBody(Outgoing message) {
		byte[] topic = message.topic().getBytes(StandardCharsets.UTF_8);
		byte[] payload = message.payload();
		byte[] blob = new byte[2 + topic.length + payload.length];
		ByteBuffer.wrap(blob).putShort((short) topic.length).put(topic).put(payload);
		if (this.cipher != null) {
			try {
				blob = this.cipher.seal(blob);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("Session store " + this.file + ": cannot seal the message with packet id "
						+ message.packetId(), ex);
			}
		}
		return ByteBuffer.allocate(LogFormat.ID_BODY + 2 + blob.length)
			.put(OUT_SENT)
			.putInt(message.packetId())
			.put((byte) message.qos())
			.put((byte) (message.retain() ? 1 : 0))
			.put(blob)
			.flip();
	}

	private static ByteBuffer idBody(byte type, int packetId) {
		return ByteBuffer.allocate(LogFormat.ID_BODY).put(type).putInt(packetId).flip();
	}

	/**
	 * Writes a record at the end of the log. When writing or syncing fails (a full disk), what was
	 * written of it is cut off again, so the state, which the caller changes only afterwards, and the
	 * file keep saying the same.
	 */
	private void append(ByteBuffer body) {
		if (this.broken != null) {
			throw new UncheckedIOException("Session store " + this.file
					+ " refuses writes: an earlier failed write could not be cut off", this.broken);
		}
		ByteBuffer record = LogFormat.record(body);
		int size = record.remaining();
		try {
			writeFully(this.channel, record, this.end);
			if (this.fsync == FsyncPolicy.ALWAYS) {
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
			throw new UncheckedIOException("Cannot write the session store " + this.file + " at offset " + this.end
					+ " (" + size + " bytes)", ex);
		}
		this.end += size;
		this.records++;
		this.dirty = this.fsync == FsyncPolicy.BATCH;
	}

	private static void writeFully(FileChannel target, ByteBuffer buffer, long position) throws IOException {
		long at = position;
		while (buffer.hasRemaining()) {
			at += target.write(buffer, at);
		}
	}

	private void writeHeader(FileChannel target) throws IOException {
		writeFully(target, LogFormat.header(this.cipher != null), 0);
		if (this.fsync != FsyncPolicy.NEVER) {
			target.force(true);
		}
	}

	@Override
	public void flush() {
		try {
			if (this.dirty) {
				this.channel.force(false);
			}
			this.dirty = false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot flush the session store " + this.file, ex);
		}
		if (this.end > Math.max(COMPACTION_MINIMUM, 2 * this.liveBytes) && this.end >= this.compactionRetry) {
			try {
				compact();
			}
			catch (IOException | RuntimeException ex) {
				// nothing is lost: the log stays as it is and keeps growing until the next attempt
				this.compactionRetry = this.end + Math.max(COMPACTION_MINIMUM, this.liveBytes);
				logger.warn("Session store {}: compaction failed; the log ({} bytes) is kept and compaction is tried "
						+ "again past {} bytes", this.file, this.end, this.compactionRetry, ex);
			}
		}
	}

	/**
	 * Rewrites the log as a snapshot of what is live, in a locked file beside it, and renames that
	 * over the log. The state is not touched; a failure leaves the log as it was.
	 */
	private void compact() throws IOException {
		Path tmp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
		FileChannel snapshot = this.files.create(tmp);
		FileLock snapshotLock;
		long written;
		long count = 0;
		try {
			snapshotLock = tryLock(snapshot);
			writeHeader(snapshot);
			written = LogFormat.HEADER_BYTES;
			for (Outgoing message : this.outgoing.values()) {
				written += writeRecord(snapshot, sentBody(message), written);
				count++;
				if (message.released()) {
					written += writeRecord(snapshot, idBody(OUT_RELEASED, message.packetId()), written);
					count++;
				}
			}
			for (Map.Entry<Integer, Boolean> entry : this.incoming.entrySet()) {
				written += writeRecord(snapshot, idBody(entry.getValue() ? IN_DELIVERED : IN_RECEIVED, entry.getKey()),
						written);
				count++;
			}
			if (this.fsync != FsyncPolicy.NEVER) {
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
		if (this.fsync != FsyncPolicy.NEVER) {
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
	public long records() {
		return this.records;
	}

	@Override
	public void close() {
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

	@Override
	public String toString() {
		return "FileSessionStore[" + this.file + ", fsync " + this.fsync + ((this.cipher != null) ? ", sealed" : "")
				+ "]";
	}

}
