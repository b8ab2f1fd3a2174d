package io.umqtt.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import io.umqtt.core.session.SessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Damage to a session file, made by hand: flipped bytes, bytes cut out, bogus lengths in
 * the middle of the log. Intact records after the damage are restored, each damage is
 * logged with the file, the offset and the bytes dropped, and nothing is allocated for a
 * damaged length.
 */
class FileSessionStoreDamageTests {

	/**
	 * Marker, length, checksum; then type, packet id, QoS, retain; then the topic length
	 * and topic "t".
	 */
	private static final int BEFORE_PAYLOAD = 9 + 7 + 2 + 1;

	@TempDir
	Path directory;

	private FileSessionStore open() {
		return new FileSessionStore(this.directory, "damaged", FileSessionStore.FsyncPolicy.BATCH);
	}

	/** Five messages in flight, ids 1 to 5, payloads "payload-1" to "payload-5". */
	private Path fiveMessages() {
		try (FileSessionStore store = open()) {
			for (int id = 1; id <= 5; id++) {
				store.outgoingSent(id, "t", 1, false, ("payload-" + id).getBytes(StandardCharsets.US_ASCII));
			}
			store.flush();
			return store.file();
		}
	}

	private static int recordOf(byte[] log, int id) {
		byte[] payload = ("payload-" + id).getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i + payload.length <= log.length; i++) {
			if (Arrays.equals(log, i, i + payload.length, payload, 0, payload.length)) {
				return i - BEFORE_PAYLOAD;
			}
		}
		throw new IllegalArgumentException("No payload-" + id + " in the log");
	}

	private void assertRestoredWithoutMessage3(StoreLog log, Path file, String warning) {
		try (FileSessionStore store = open()) {
			assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(1, 2, 4, 5);
			assertThat(store.load().outgoing())
				.extracting((message) -> new String(message.payload(), StandardCharsets.US_ASCII))
				.containsExactly("payload-1", "payload-2", "payload-4", "payload-5");
			store.outgoingSent(6, "t", 1, false, "payload-6".getBytes(StandardCharsets.US_ASCII));
		}
		assertThat(log.warnings()).singleElement()
			.satisfies((message) -> assertThat(message).contains(file.toString()).contains(warning));
		// the log was rewritten clean: the next open finds no damage and everything
		// written since
		try (FileSessionStore store = open()) {
			assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId)
				.containsExactly(1, 2, 4, 5, 6);
		}
		assertThat(log.warnings()).hasSize(1);
	}

	@Test
	void aFlippedByteInTheMiddleCostsOnlyItsRecord() throws IOException {
		Path file = fiveMessages();
		byte[] log = Files.readAllBytes(file);
		int third = recordOf(log, 3);
		log[third + BEFORE_PAYLOAD + 2] ^= 0x20; // "pa" + "Y"
		Files.write(file, log);
		try (StoreLog warnings = new StoreLog()) {
			assertRestoredWithoutMessage3(warnings, file,
					"skipped " + (9 + 7 + 3 + 9) + " damaged bytes at offset " + third);
		}
	}

	@Test
	void aBogusHugeLengthInTheMiddleAllocatesNothingAndTheRecordsAfterItAreRestored() throws IOException {
		Path file = fiveMessages();
		byte[] log = Files.readAllBytes(file);
		int third = recordOf(log, 3);
		ByteBuffer.wrap(log).putInt(third + 1, Integer.MAX_VALUE - 8);
		Files.write(file, log);
		try (StoreLog warnings = new StoreLog()) {
			assertRestoredWithoutMessage3(warnings, file, "at offset " + third);
		}
	}

	@Test
	void aNegativeLengthInTheMiddleIsSkipped() throws IOException {
		Path file = fiveMessages();
		byte[] log = Files.readAllBytes(file);
		int third = recordOf(log, 3);
		ByteBuffer.wrap(log).putInt(third + 1, -5);
		Files.write(file, log);
		try (StoreLog warnings = new StoreLog()) {
			assertRestoredWithoutMessage3(warnings, file, "at offset " + third);
		}
	}

	@Test
	void bytesCutOutOfTheMiddleCostOnlyTheRecordTheyBelongTo() throws IOException {
		Path file = fiveMessages();
		byte[] log = Files.readAllBytes(file);
		int third = recordOf(log, 3);
		byte[] cut = new byte[log.length - 6];
		System.arraycopy(log, 0, cut, 0, third + 12);
		System.arraycopy(log, third + 18, cut, third + 12, log.length - third - 18);
		Files.write(file, cut);
		try (StoreLog warnings = new StoreLog()) {
			assertRestoredWithoutMessage3(warnings, file, "at offset " + third);
		}
	}

	@Test
	void aTornTailIsCutOffAndLogged() throws IOException {
		Path file = fiveMessages();
		byte[] log = Files.readAllBytes(file);
		int fifth = recordOf(log, 5);
		Files.write(file, Arrays.copyOf(log, log.length - 3));
		try (StoreLog warnings = new StoreLog()) {
			try (FileSessionStore store = open()) {
				assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId)
					.containsExactly(1, 2, 3, 4);
			}
			assertThat(warnings.warnings()).singleElement()
				.satisfies((message) -> assertThat(message).contains(file.toString())
					.contains("dropped " + (log.length - 3 - fifth) + " bytes from offset " + fifth));
		}
	}

	@Test
	void aFileThatFailsToOpenReleasesItsLock() throws IOException {
		Path file = fiveMessages();
		// a record of an unknown type, in the format before checksums: [int length
		// 1][type 99]
		Files.write(file, new byte[] { 0, 0, 0, 1, 99 });
		assertThatIllegalStateException().isThrownBy(this::open)
			.withMessageContaining(file.toString())
			.withMessageContaining("unknown record type 99");
		// again the same clear error, not "in use by another client"
		assertThatIllegalStateException().isThrownBy(this::open).withMessageContaining("unknown record type 99");
		Files.delete(file);
		open().close();
	}

	@Test
	void aFileOfANewerFormatIsRefusedClearly() throws IOException {
		Path file = fiveMessages();
		byte[] log = Files.readAllBytes(file);
		log[4] = 9;
		Files.write(file, log);
		assertThatIllegalStateException().isThrownBy(this::open)
			.withMessageContaining(file.toString())
			.withMessageContaining("format version 9");
		assertThat(Files.readAllBytes(file)).isEqualTo(log);
	}

	@Test
	void aLogInTheFormatBeforeChecksumsIsReadAndConverted() throws IOException {
		Path file = fiveMessages();
		ByteBuffer legacy = ByteBuffer.allocate(256);
		for (int id = 1; id <= 2; id++) {
			byte[] payload = ("old-" + id).getBytes(StandardCharsets.US_ASCII);
			// [int length][type 1, sent][int id][qos][retain][short topic
			// length][topic][int payload length][payload]
			legacy.putInt(1 + 4 + 1 + 1 + 2 + 1 + 4 + payload.length)
				.put((byte) 1)
				.putInt(id)
				.put((byte) 2)
				.put((byte) 0)
				.putShort((short) 1)
				.put((byte) 't')
				.putInt(payload.length)
				.put(payload);
		}
		legacy.putInt(5).put((byte) 3).putInt(1); // done: 1
		legacy.putInt(40).put((byte) 1); // torn by a crash
		Files.write(file, Arrays.copyOf(legacy.array(), legacy.position()));
		try (FileSessionStore store = open()) {
			assertThat(store.load().outgoing()).singleElement().satisfies((message) -> {
				assertThat(message.packetId()).isEqualTo(2);
				assertThat(message.qos()).isEqualTo(2);
				assertThat(new String(message.payload(), StandardCharsets.US_ASCII)).isEqualTo("old-2");
			});
		}
		assertThat(ByteBuffer.wrap(Files.readAllBytes(file)).getInt()).isEqualTo(LogFormat.MAGIC);
	}

}
