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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.umqtt.core.session.SessionStore;

/**
 * A {@link SessionStore} in one file per client id: an append-only log of the session's changes,
 * compacted into a snapshot of what is live when it has grown to several times that. A record is
 * {@code [int length][byte type][body]}; a record torn by a crash is dropped when the log is read.
 * <p>
 * The file is locked while a client uses it (an OS lock, released when the process ends, so no
 * lock file is ever left behind): two clients cannot share a session file. {@link FsyncPolicy}
 * says when writes reach the disk.
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

	private static final byte OUT_SENT = 1;

	private static final byte OUT_RELEASED = 2;

	private static final byte OUT_DONE = 3;

	private static final byte IN_RECEIVED = 4;

	private static final byte IN_DELIVERED = 5;

	private static final byte IN_RELEASED = 6;

	private static final byte CLEAR = 7;

	private final Path file;

	private final FsyncPolicy fsync;

	private final LinkedHashMap<Integer, Outgoing> outgoing = new LinkedHashMap<>();

	/** Received QoS 2 ids; the value says whether delivered. */
	private final LinkedHashMap<Integer, Boolean> incoming = new LinkedHashMap<>();

	private FileChannel channel;

	private FileLock lock;

	private long records;

	private boolean dirty;

	/**
	 * Opens (or creates) the store of {@code clientId} in {@code directory} and reads what it holds.
	 * @param directory where session files live; created when missing
	 * @param clientId the client id the session belongs to
	 * @param fsync when writes reach the disk
	 * @throws IllegalStateException when another client holds the file
	 */
	public FileSessionStore(Path directory, String clientId, FsyncPolicy fsync) {
		this.fsync = fsync;
		try {
			Files.createDirectories(directory);
			this.file = directory.resolve(fileName(clientId));
			open();
			replay();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open the session store in " + directory, ex);
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

	private void open() throws IOException {
		this.channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.READ,
				StandardOpenOption.WRITE);
		try {
			this.lock = this.channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			this.lock = null;
		}
		if (this.lock == null) {
			this.channel.close();
			throw new IllegalStateException("Session store " + this.file + " is in use by another client");
		}
	}

	/** The file the session is kept in. */
	public Path file() {
		return this.file;
	}

	private void replay() throws IOException {
		long size = this.channel.size();
		ByteBuffer all = ByteBuffer.allocate((int) Math.min(size, Integer.MAX_VALUE));
		this.channel.read(all, 0);
		all.flip();
		long valid = 0;
		while (all.remaining() >= 5) {
			int length = all.getInt(all.position());
			if (length < 1 || all.remaining() < 4 + length) {
				break;
			}
			all.getInt();
			ByteBuffer record = all.slice(all.position(), length);
			all.position(all.position() + length);
			apply(record);
			valid += 4 + length;
			this.records++;
		}
		if (valid < size) {
			// a record torn by a crash: drop it
			this.channel.truncate(valid);
		}
		this.channel.position(valid);
	}

	private void apply(ByteBuffer record) {
		byte type = record.get();
		switch (type) {
			case OUT_SENT -> {
				int id = record.getInt();
				int qos = record.get();
				boolean retain = record.get() != 0;
				byte[] topic = new byte[record.getShort() & 0xFFFF];
				record.get(topic);
				byte[] payload = new byte[record.getInt()];
				record.get(payload);
				this.outgoing.remove(id);
				this.outgoing.put(id, new Outgoing(id, new String(topic, StandardCharsets.UTF_8), qos, retain, payload, false));
			}
			case OUT_RELEASED -> {
				int id = record.getInt();
				Outgoing sent = this.outgoing.get(id);
				if (sent != null) {
					this.outgoing.put(id, new Outgoing(id, sent.topic(), sent.qos(), sent.retain(), sent.payload(), true));
				}
			}
			case OUT_DONE -> this.outgoing.remove(record.getInt());
			case IN_RECEIVED -> this.incoming.put(record.getInt(), Boolean.FALSE);
			case IN_DELIVERED -> this.incoming.put(record.getInt(), Boolean.TRUE);
			case IN_RELEASED -> this.incoming.remove(record.getInt());
			case CLEAR -> {
				this.outgoing.clear();
				this.incoming.clear();
			}
			default -> throw new IllegalStateException("Session store " + this.file + " has an unknown record type "
					+ type);
		}
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
		byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
		ByteBuffer body = ByteBuffer.allocate(1 + 4 + 1 + 1 + 2 + topicBytes.length + 4 + payload.length);
		body.put(OUT_SENT).putInt(packetId).put((byte) qos).put((byte) (retain ? 1 : 0))
			.putShort((short) topicBytes.length).put(topicBytes).putInt(payload.length).put(payload);
		append(body);
		this.outgoing.remove(packetId);
		this.outgoing.put(packetId, new Outgoing(packetId, topic, qos, retain, payload, false));
	}

	@Override
	public void outgoingReleased(int packetId) {
		appendId(OUT_RELEASED, packetId);
		Outgoing sent = this.outgoing.get(packetId);
		if (sent != null) {
			this.outgoing.put(packetId, new Outgoing(packetId, sent.topic(), sent.qos(), sent.retain(), sent.payload(), true));
		}
	}

	@Override
	public void outgoingDone(int packetId) {
		if (this.outgoing.remove(packetId) != null) {
			appendId(OUT_DONE, packetId);
		}
	}

	@Override
	public void incomingReceived(int packetId) {
		appendId(IN_RECEIVED, packetId);
		this.incoming.put(packetId, Boolean.FALSE);
	}

	@Override
	public void incomingDelivered(int packetId) {
		appendId(IN_DELIVERED, packetId);
		this.incoming.put(packetId, Boolean.TRUE);
	}

	@Override
	public void incomingReleased(int packetId) {
		if (this.incoming.remove(packetId) != null) {
			appendId(IN_RELEASED, packetId);
		}
	}

	@Override
	public void clear() {
		this.outgoing.clear();
		this.incoming.clear();
		append(ByteBuffer.allocate(1).put(CLEAR));
	}

	private void appendId(byte type, int packetId) {
		append(ByteBuffer.allocate(5).put(type).putInt(packetId));
	}

	private void append(ByteBuffer body) {
		body.flip();
		ByteBuffer record = ByteBuffer.allocate(4 + body.remaining());
		record.putInt(body.remaining()).put(body).flip();
		try {
			while (record.hasRemaining()) {
				this.channel.write(record);
			}
			this.records++;
			if (this.fsync == FsyncPolicy.ALWAYS) {
				this.channel.force(false);
			}
			else {
				this.dirty = true;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the session store " + this.file, ex);
		}
	}

	@Override
	public void flush() {
		try {
			if (this.dirty && this.fsync == FsyncPolicy.BATCH) {
				this.channel.force(false);
			}
			this.dirty = false;
			int live = this.outgoing.size() + this.incoming.size();
			if (this.records > 1_000 && this.records > 4L * (live + 1)) {
				compact();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot flush the session store " + this.file, ex);
		}
	}

	/** Rewrites the log as a snapshot of what is live, and swaps it in atomically. */
	private void compact() throws IOException {
		Path tmp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
		Map<Integer, Outgoing> liveOut = new LinkedHashMap<>(this.outgoing);
		Map<Integer, Boolean> liveIn = new LinkedHashMap<>(this.incoming);
		FileChannel old = this.channel;
		FileLock oldLock = this.lock;
		try (FileChannel snapshot = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING)) {
			this.channel = snapshot;
			this.records = 0;
			this.outgoing.clear();
			this.incoming.clear();
			for (Outgoing message : liveOut.values()) {
				outgoingSent(message.packetId(), message.topic(), message.qos(), message.retain(), message.payload());
				if (message.released()) {
					outgoingReleased(message.packetId());
				}
			}
			for (Map.Entry<Integer, Boolean> entry : liveIn.entrySet()) {
				if (entry.getValue()) {
					incomingDelivered(entry.getKey());
				}
				else {
					incomingReceived(entry.getKey());
				}
			}
			snapshot.force(true);
		}
		long compactedRecords = this.records;
		Files.move(tmp, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		oldLock.release();
		old.close();
		open();
		this.channel.position(this.channel.size());
		this.records = compactedRecords;
		this.dirty = false;
	}

	/** Records in the log now, live or not. */
	public long records() {
		return this.records;
	}

	@Override
	public void close() {
		try {
			if (this.channel.isOpen()) {
				if (this.dirty) {
					this.channel.force(false);
				}
				this.lock.release();
				this.channel.close();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot close the session store " + this.file, ex);
		}
	}

	@Override
	public String toString() {
		return "FileSessionStore[" + this.file + ", fsync " + this.fsync + "]";
	}

}
