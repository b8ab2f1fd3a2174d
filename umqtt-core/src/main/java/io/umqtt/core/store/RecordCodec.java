package io.umqtt.core.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import io.umqtt.core.codec.MalformedPacketException;
import io.umqtt.core.codec.PublishProperties;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.session.SessionStore.Outgoing;
import org.jspecify.annotations.Nullable;

/**
 * The bodies of a session log's records: one per change of the session, written by
 * {@link FileSessionStore} and applied to a {@link LiveState} when the log is replayed. A
 * message's topic and payload are sealed by the {@link StoreCipher} when there is one.
 * Stateless apart from the file's name (for messages) and the cipher.
 */
final class RecordCodec {

	static final byte OUT_SENT = 1;

	static final byte OUT_RELEASED = 2;

	static final byte OUT_DONE = 3;

	static final byte IN_RECEIVED = 4;

	static final byte IN_DELIVERED = 5;

	static final byte IN_RELEASED = 6;

	static final byte CLEAR = 7;

	/**
	 * An outgoing MQTT 5 message with properties: as {@link #OUT_SENT}, its message
	 * {@code [short topic length][topic][int properties length][properties][payload]},
	 * the properties as a PUBLISH carries them. Written only for messages with
	 * properties, so a log without any reads as before.
	 */
	static final byte OUT_SENT_PROPERTIES = 8;

	private final Path file;

	private final @Nullable StoreCipher cipher;

	/**
	 * Creates a new {@code RecordCodec}.
	 * @param file the log, named in messages
	 * @param cipher seals topics and payloads; {@code null} for plain text
	 */
	RecordCodec(Path file, @Nullable StoreCipher cipher) {
		this.file = file;
		this.cipher = cipher;
	}

	/** How a log's messages are to be read. */
	enum Layout {

		/** Version 2, plain text. */
		PLAIN,

		/** Version 2, topics and payloads sealed. */
		SEALED,

		/**
		 * Version 1, before checksums:
		 * {@code [short topic length][topic][int payload length][payload]}.
		 */
		LEGACY

	}

	ByteBuffer sentBody(Outgoing message) {
		byte[] topic = message.topic().getBytes(StandardCharsets.UTF_8);
		byte[] payload = message.payload();
		boolean withProperties = !message.properties().isEmpty();
		byte[] properties = withProperties ? PublishProperties.toBytes(message.properties()) : null;
		byte[] blob;
		if (withProperties) {
			blob = new byte[2 + topic.length + 4 + properties.length + payload.length];
			ByteBuffer.wrap(blob)
				.putShort((short) topic.length)
				.put(topic)
				.putInt(properties.length)
				.put(properties)
				.put(payload);
		}
		else {
			blob = new byte[2 + topic.length + payload.length];
			ByteBuffer.wrap(blob).putShort((short) topic.length).put(topic).put(payload);
		}
		if (this.cipher != null) {
			try {
				blob = this.cipher.seal(blob);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(
						"Session store " + this.file + ": cannot seal the message with packet id " + message.packetId(),
						ex);
			}
		}
		return ByteBuffer.allocate(LogFormat.ID_BODY + 2 + blob.length)
			.put(withProperties ? OUT_SENT_PROPERTIES : OUT_SENT)
			.putInt(message.packetId())
			.put((byte) message.qos())
			.put((byte) (message.retain() ? 1 : 0))
			.put(blob)
			.flip();
	}

	static ByteBuffer idBody(byte type, int packetId) {
		return ByteBuffer.allocate(LogFormat.ID_BODY).put(type).putInt(packetId).flip();
	}

	static ByteBuffer clearBody() {
		return ByteBuffer.allocate(1).put(CLEAR).flip();
	}

	/**
	 * Applies one intact record to {@code state}.
	 * @param offset where the record starts, for messages
	 * @param record its body
	 * @param layout how its message, if any, is written
	 * @throws IllegalStateException when the record is malformed (its checksum is right,
	 * so it was written so), or its message cannot be opened with the cipher
	 */
	void apply(long offset, ByteBuffer record, Layout layout, LiveState state) {
		byte type = record.get();
		int expected = switch (type) {
			case OUT_SENT, OUT_SENT_PROPERTIES -> LogFormat.ID_BODY + 2;
			case OUT_RELEASED, OUT_DONE, IN_RECEIVED, IN_DELIVERED, IN_RELEASED -> LogFormat.ID_BODY;
			case CLEAR -> 1;
			default -> throw malformed(offset, "an unknown record type " + type);
		};
		if (record.limit() < expected
				|| (type != OUT_SENT && type != OUT_SENT_PROPERTIES && record.limit() != expected)) {
			throw malformed(offset, "a record of type " + type + " with " + record.limit() + " bytes");
		}
		switch (type) {
			case OUT_SENT -> {
				int id = record.getInt();
				int qos = record.get();
				boolean retain = record.get() != 0;
				state.putOutgoing(readMessage(offset, id, qos, retain, record, layout, false));
			}
			case OUT_SENT_PROPERTIES -> {
				int id = record.getInt();
				int qos = record.get();
				boolean retain = record.get() != 0;
				state.putOutgoing(readMessage(offset, id, qos, retain, record, layout, true));
			}
			case OUT_RELEASED -> state.releaseOutgoing(record.getInt());
			case OUT_DONE -> state.removeOutgoing(record.getInt());
			case IN_RECEIVED -> state.putIncoming(record.getInt(), false);
			case IN_DELIVERED -> state.putIncoming(record.getInt(), true);
			case IN_RELEASED -> state.removeIncoming(record.getInt());
			default -> state.clear();
		}
	}

	private Outgoing readMessage(long offset, int id, int qos, boolean retain, ByteBuffer record, Layout layout,
			boolean withProperties) {
		if (layout == Layout.LEGACY) {
			return readLegacyMessage(offset, id, qos, retain, record);
		}
		ByteBuffer message = record;
		if (layout == Layout.SEALED) {
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
		return decodeMessage(offset, id, qos, retain, message, withProperties);
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

	private Outgoing decodeMessage(long offset, int id, int qos, boolean retain, ByteBuffer message,
			boolean withProperties) {
		if (message.remaining() < 2 || message.remaining() - 2 < (message.getShort(message.position()) & 0xFFFF)) {
			throw malformed(offset, "a message whose topic length exceeds the record");
		}
		byte[] topic = new byte[message.getShort() & 0xFFFF];
		message.get(topic);
		PacketProperties properties = PacketProperties.NONE;
		if (withProperties) {
			if (message.remaining() < 4 || message.getInt(message.position()) < 0
					|| message.remaining() - 4 < message.getInt(message.position())) {
				throw malformed(offset, "a message whose properties length exceeds the record");
			}
			byte[] encoded = new byte[message.getInt()];
			message.get(encoded);
			try {
				properties = PublishProperties.fromBytes(encoded);
			}
			catch (MalformedPacketException ex) {
				throw malformed(offset, "a message whose properties cannot be read (" + ex.getMessage() + ")");
			}
		}
		byte[] payload = new byte[message.remaining()];
		message.get(payload);
		return new Outgoing(id, new String(topic, StandardCharsets.UTF_8), qos, retain, payload, false, properties);
	}

	private IllegalStateException malformed(long offset, String what) {
		return new IllegalStateException("Session store " + this.file + " holds " + what + " at offset " + offset
				+ " (its checksum is right, so it was written so: by a newer umqtt, or a fault)");
	}

}
