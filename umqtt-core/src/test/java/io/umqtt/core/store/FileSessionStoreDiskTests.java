package io.umqtt.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.umqtt.core.session.SessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** A disk that fills, and what reaches it in which order. */
class FileSessionStoreDiskTests {

	@TempDir
	Path directory;

	private final FillingDisk disk = new FillingDisk();

	private FileSessionStore open(StoreFiles files) {
		return new FileSessionStore(this.directory, "disk", FileSessionStore.FsyncPolicy.BATCH, null, files);
	}

	private static byte[] text(String value) {
		return value.getBytes(StandardCharsets.US_ASCII);
	}

	@Test
	void aFullDiskFailsTheWriteWithItsCauseAndTheStoreStaysConsistent() {
		try (FileSessionStore store = open(this.disk)) {
			store.outgoingSent(1, "t", 1, false, text("one"));
			store.outgoingSent(2, "t", 1, false, text("two"));
			store.flush();
			this.disk.space.set(10); // part of the next record fits, then the disk is
										// full
			assertThatExceptionOfType(UncheckedIOException.class)
				.isThrownBy(() -> store.outgoingSent(3, "t", 1, false, text("three")))
				.withMessageContaining(store.file().toString())
				.havingCause()
				.withMessage("No space left on device");
			assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(1, 2);
		}
		this.disk.space.set(-1); // space freed
		try (StoreLog log = new StoreLog(); FileSessionStore store = open(this.disk)) {
			// the half-written record was cut off: the file holds what the store said,
			// and no damage
			assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(1, 2);
			assertThat(log.warnings()).isEmpty();
			store.outgoingSent(4, "t", 1, false, text("four"));
			store.outgoingDone(1);
			store.flush();
		}
		try (StoreLog log = new StoreLog(); FileSessionStore store = open(StoreFiles.SYSTEM)) {
			assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(2, 4);
			assertThat(log.warnings()).isEmpty();
		}
	}

	@Test
	void aFullDiskDuringCompactionKeepsTheLogAndTheStateAndLeavesNoSnapshotBehind() throws IOException {
		try (StoreLog log = new StoreLog(); FileSessionStore store = open(this.disk)) {
			store.outgoingSent(65_535, "live", 1, false, text("live"));
			store.flush();
			this.disk.fullForNewFiles = true; // the log can grow, a snapshot beside it
												// cannot be written
			int id = 0;
			while (log.warnings().isEmpty() && id < 10_000) {
				id++;
				store.outgoingSent(id, "t", 1, false, new byte[64]);
				store.outgoingDone(id);
				store.flush();
			}
			assertThat(log.warnings()).singleElement()
				.satisfies((message) -> assertThat(message).contains(store.file().toString())
					.contains("compaction failed"));
			assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(65_535);
			try (Stream<Path> files = Files.list(this.directory)) {
				assertThat(files).containsExactly(store.file());
			}
			this.disk.fullForNewFiles = false;
			store.outgoingSent(7, "t", 1, false, text("after"));
			store.flush();
		}
		try (StoreLog log = new StoreLog(); FileSessionStore store = open(StoreFiles.SYSTEM)) {
			assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(65_535, 7);
			assertThat(log.warnings()).isEmpty();
		}
	}

	@Test
	void theDirectoryIsSyncedAfterTheCompactionRename() {
		try (FileSessionStore store = open(this.disk)) {
			this.disk.events.clear();
			for (int id = 1; id <= 5_000 && this.disk.events.isEmpty(); id++) {
				store.outgoingSent(id, "t", 1, false, new byte[64]);
				store.outgoingDone(id);
				store.flush();
			}
			assertThat(this.disk.events).containsExactly("replace " + store.file().getFileName(), "sync directory");
		}
	}

}
