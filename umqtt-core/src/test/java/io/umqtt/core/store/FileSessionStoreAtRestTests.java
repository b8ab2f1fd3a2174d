package io.umqtt.core.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;

import javax.crypto.AEADBadTagException;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import io.umqtt.core.session.SessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Data at rest: owner-only files, a WARN for files others can read, topics and payloads
 * sealed.
 */
class FileSessionStoreAtRestTests {

	private static final String TOPIC = "tenant-42/device-7/secret";

	private static final String PAYLOAD = "card 4111 1111 1111 1111";

	@TempDir
	Path root;

	private Path directory() {
		return this.root.resolve("sessions");
	}

	private static SecretKey key() throws NoSuchAlgorithmException {
		KeyGenerator generator = KeyGenerator.getInstance("AES");
		generator.init(256);
		return generator.generateKey();
	}

	private static boolean posix(Path path) {
		return path.getFileSystem().supportedFileAttributeViews().contains("posix");
	}

	@Test
	void theDirectoryAndTheFileAreOwnerOnly() throws IOException {
		assumeTrue(posix(this.root), "POSIX permissions");
		Path file;
		try (FileSessionStore store = new FileSessionStore(directory(), "me", FileSessionStore.FsyncPolicy.BATCH)) {
			file = store.file();
			for (int id = 1; id <= 3_000; id++) {
				store.outgoingSent(id, "t", 1, false, new byte[64]);
				store.outgoingDone(id);
				store.flush();
			}
			assertThat(store.records()).isLessThan(3_000); // compacted into a new file
		}
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory()))).isEqualTo("rwx------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
	}

	@Test
	void anExistingFileOthersCanReadIsWarnedAboutOnceWhenOpened() throws IOException {
		assumeTrue(posix(this.root), "POSIX permissions");
		Path file;
		try (FileSessionStore store = new FileSessionStore(directory(), "me", FileSessionStore.FsyncPolicy.BATCH)) {
			file = store.file();
			store.outgoingSent(1, "t", 1, false, new byte[1]);
		}
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
		try (StoreLog log = new StoreLog();
				FileSessionStore store = new FileSessionStore(directory(), "me", FileSessionStore.FsyncPolicy.BATCH)) {
			store.outgoingSent(2, "t", 1, false, new byte[1]);
			store.flush();
			assertThat(log.warnings()).singleElement()
				.satisfies((message) -> assertThat(message).contains(file.toString()).contains("other users"));
		}
	}

	@Test
	void aSealedStoreHoldsNoPlainTopicOrPayloadAndTheSameKeyOpensIt() throws Exception {
		SecretKey key = key();
		Path file;
		try (FileSessionStore store = new FileSessionStore(directory(), "me", FileSessionStore.FsyncPolicy.BATCH,
				StoreCipher.aesGcm(key))) {
			file = store.file();
			store.outgoingSent(1, TOPIC, 2, true, PAYLOAD.getBytes(StandardCharsets.UTF_8));
			store.outgoingReleased(1);
			store.outgoingSent(2, TOPIC, 1, false, PAYLOAD.getBytes(StandardCharsets.UTF_8));
			store.incomingReceived(9);
			store.flush();
		}
		String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
		assertThat(content).doesNotContain(PAYLOAD)
			.doesNotContain(TOPIC)
			.doesNotContain("card")
			.doesNotContain("tenant");
		try (FileSessionStore store = new FileSessionStore(directory(), "me", FileSessionStore.FsyncPolicy.BATCH,
				StoreCipher.aesGcm(key))) {
			SessionStore.State state = store.load();
			assertThat(state.outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(1, 2);
			SessionStore.Outgoing first = state.outgoing().get(0);
			assertThat(first.topic()).isEqualTo(TOPIC);
			assertThat(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo(PAYLOAD);
			assertThat(first.released()).isTrue();
			assertThat(first.retain()).isTrue();
			assertThat(state.incomingReceived()).containsExactly(9);
		}
	}

	@Test
	void aWrongKeyFailsNamingTheFileAndTheRecordAndReleasesTheLock() throws Exception {
		SecretKey key = key();
		Path file;
		try (FileSessionStore store = new FileSessionStore(directory(), "me", FileSessionStore.FsyncPolicy.BATCH,
				StoreCipher.aesGcm(key))) {
			file = store.file();
			store.outgoingSent(1, TOPIC, 1, false, PAYLOAD.getBytes(StandardCharsets.UTF_8));
		}
		StoreCipher wrong = StoreCipher.aesGcm(key());
		assertThatIllegalStateException()
			.isThrownBy(() -> new FileSessionStore(directory(), "me", FileSessionStore.FsyncPolicy.BATCH, wrong))
			.withMessageContaining(file.toString())
			.withMessageContaining("offset " + LogFormat.HEADER_BYTES)
			.withMessageContaining("cannot be opened with this StoreCipher")
			.withCauseInstanceOf(AEADBadTagException.class);
		assertThatIllegalStateException()
			.isThrownBy(() -> new FileSessionStore(directory(), "me", FileSessionStore.FsyncPolicy.BATCH))
			.withMessageContaining("holds sealed topics and payloads");
		try (FileSessionStore store = new FileSessionStore(directory(), "me", FileSessionStore.FsyncPolicy.BATCH,
				StoreCipher.aesGcm(key))) {
			assertThat(store.load().outgoing()).singleElement()
				.satisfies((message) -> assertThat(message.topic()).isEqualTo(TOPIC));
		}
	}

	@Test
	void aPlainStoreOpenedWithACipherIsRewrittenSealed() throws Exception {
		SecretKey key = key();
		Path file;
		try (FileSessionStore store = new FileSessionStore(directory(), "me", FileSessionStore.FsyncPolicy.BATCH)) {
			file = store.file();
			store.outgoingSent(1, TOPIC, 1, false, PAYLOAD.getBytes(StandardCharsets.UTF_8));
		}
		assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).contains(PAYLOAD);
		try (FileSessionStore store = new FileSessionStore(directory(), "me", FileSessionStore.FsyncPolicy.BATCH,
				StoreCipher.aesGcm(key))) {
			assertThat(store.load().outgoing()).singleElement()
				.satisfies((message) -> assertThat(new String(message.payload(), StandardCharsets.UTF_8))
					.isEqualTo(PAYLOAD));
		}
		assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain(PAYLOAD)
			.doesNotContain(TOPIC);
	}

	@Test
	void aSealedStoreFullOfSmallLiveMessagesIsNotCompactedOnEveryFlush() throws Exception {
		FillingDisk disk = new FillingDisk();
		try (FileSessionStore store = new FileSessionStore(directory(), "me", FileSessionStore.FsyncPolicy.NEVER,
				StoreCipher.aesGcm(key()), disk)) {
			for (int id = 1; id <= 5_000; id++) {
				store.outgoingSent(id, "t", 1, false, new byte[1]);
				store.flush();
			}
			// everything is live: a snapshot would be as large as the log
			assertThat(disk.events).filteredOn((event) -> event.startsWith("replace")).isEmpty();
		}
	}

	@Test
	void aCipherThatFailsToSealFailsTheWriteAndStoresNothing() {
		java.util.concurrent.atomic.AtomicBoolean locked = new java.util.concurrent.atomic.AtomicBoolean();
		StoreCipher failing = new StoreCipher() {

			@Override
			public byte[] seal(byte[] plaintext) throws GeneralSecurityException {
				if (locked.get()) {
					throw new GeneralSecurityException("key store locked");
				}
				return plaintext;
			}

			@Override
			public byte[] open(byte[] sealed) {
				return sealed;
			}

		};
		try (FileSessionStore store = new FileSessionStore(directory(), "me", FileSessionStore.FsyncPolicy.BATCH,
				failing)) {
			locked.set(true);
			assertThatIllegalStateException().isThrownBy(() -> store.outgoingSent(1, TOPIC, 1, false, new byte[1]))
				.withMessageContaining(store.file().toString())
				.withMessageContaining("cannot seal the message with packet id 1");
			assertThat(store.load().isEmpty()).isTrue();
		}
	}

}
