package io.umqtt.core.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.umqtt.core.session.SessionStore.Outgoing;
import io.umqtt.core.session.SessionStore.State;

/**
 * What a {@link FileSessionStore} holds live, in memory: the outgoing messages in flight
 * and the received QoS 2 ids, and the size a snapshot of them would have in the log (what
 * compaction is measured against). Changed only after a record of the change is written,
 * or while the log is replayed. Confined to the store's thread.
 */
final class LiveState {

	/** Record bytes of a change that carries a packet id only. */
	static final int ID_RECORD = LogFormat.RECORD_OVERHEAD + LogFormat.ID_BODY;

	/**
	 * What the cipher adds to each message, counted in {@link #liveBytes} so that
	 * compaction does not run too early.
	 */
	private final int sealOverhead;

	final LinkedHashMap<Integer, Outgoing> outgoing = new LinkedHashMap<>();

	/** Received QoS 2 ids; the value says whether delivered. */
	final LinkedHashMap<Integer, Boolean> incoming = new LinkedHashMap<>();

	/** The size a snapshot of the live state would have. */
	private long liveBytes = LogFormat.HEADER_BYTES;

	LiveState(int sealOverhead) {
		this.sealOverhead = sealOverhead;
	}

	long liveBytes() {
		return this.liveBytes;
	}

	State load() {
		List<Integer> received = new ArrayList<>();
		List<Integer> delivered = new ArrayList<>();
		for (Map.Entry<Integer, Boolean> entry : this.incoming.entrySet()) {
			(entry.getValue() ? delivered : received).add(entry.getKey());
		}
		return new State(List.copyOf(this.outgoing.values()), received, delivered);
	}

	boolean hasOutgoing(int packetId) {
		return this.outgoing.containsKey(packetId);
	}

	boolean hasIncoming(int packetId) {
		return this.incoming.containsKey(packetId);
	}

	void putOutgoing(Outgoing message) {
		removeOutgoing(message.packetId());
		this.outgoing.put(message.packetId(), message);
		this.liveBytes += sentRecordBytes(message);
	}

	void releaseOutgoing(int packetId) {
		Outgoing sent = this.outgoing.get(packetId);
		if (sent != null && !sent.released()) {
			// to the end: the released ones are kept in the order of their PUBRECs
			this.outgoing.remove(packetId);
			this.outgoing.put(packetId, new Outgoing(packetId, sent.topic(), sent.qos(), sent.retain(), sent.payload(),
					true, sent.properties()));
			this.liveBytes += ID_RECORD;
		}
	}

	void removeOutgoing(int packetId) {
		Outgoing removed = this.outgoing.remove(packetId);
		if (removed != null) {
			this.liveBytes -= sentRecordBytes(removed) + (removed.released() ? ID_RECORD : 0);
		}
	}

	void putIncoming(int packetId, boolean delivered) {
		if (this.incoming.put(packetId, delivered) == null) {
			this.liveBytes += ID_RECORD;
		}
	}

	void removeIncoming(int packetId) {
		if (this.incoming.remove(packetId) != null) {
			this.liveBytes -= ID_RECORD;
		}
	}

	void clear() {
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

}
