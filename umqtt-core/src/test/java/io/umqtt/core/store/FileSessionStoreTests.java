package io.umqtt.core.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import javax.crypto.KeyGenerator;

import io.netty.buffer.Unpooled;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.session.Session;
import io.umqtt.core.session.SessionDriver;
import io.umqtt.core.session.SessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class FileSessionStoreTests {

	@TempDir
	Path directory;

	private FileSessionStore open() {
		return new FileSessionStore(this.directory, "client/1", FileSessionStore.FsyncPolicy.BATCH);
	}

	@Test
	void mqtt5PropertiesOfAMessageInFlightAreReadBackPlainAndSealed() throws Exception {
		PacketProperties properties = PacketProperties.builder()
			.payloadFormatIndicator(1)
			.messageExpiryInterval(60)
			.contentType("text/plain")
			.responseTopic("re/ply")
			.correlationData(new byte[] { 9, 0, 9 })
			.userProperty("k", "v1")
			.userProperty("k", "v2")
			.build();
		KeyGenerator generator = KeyGenerator.getInstance("AES");
		generator.init(256);
		StoreCipher cipher = StoreCipher.aesGcm(generator.generateKey());
		for (StoreCipher sealing : new StoreCipher[] { null, cipher }) {
			String id = (sealing != null) ? "sealed" : "plain";
			try (FileSessionStore store = (sealing != null)
					? new FileSessionStore(this.directory, id, FileSessionStore.FsyncPolicy.BATCH, sealing)
					: new FileSessionStore(this.directory, id, FileSessionStore.FsyncPolicy.BATCH)) {
				store.outgoingSent(1, "a/b", 1, false, "one".getBytes(), properties);
				store.outgoingSent(2, "a/c", 2, true, "two".getBytes(), properties);
				store.outgoingSent(3, "a/d", 1, false, "three".getBytes());
				store.outgoingReleased(2);
				store.flush();
			}
			try (FileSessionStore store = (sealing != null)
					? new FileSessionStore(this.directory, id, FileSessionStore.FsyncPolicy.BATCH, sealing)
					: new FileSessionStore(this.directory, id, FileSessionStore.FsyncPolicy.BATCH)) {
				List<SessionStore.Outgoing> outgoing = store.load().outgoing();
				// the released one moved behind the others
				assertThat(outgoing).extracting(SessionStore.Outgoing::packetId).containsExactly(1, 3, 2);
				assertThat(outgoing.get(0).properties()).isEqualTo(properties);
				assertThat(new String(outgoing.get(0).payload())).isEqualTo("one");
				assertThat(outgoing.get(2).properties()).isEqualTo(properties);
				assertThat(outgoing.get(2).released()).isTrue();
				assertThat(outgoing.get(1).properties()).isSameAs(PacketProperties.NONE);
			}
		}
	}

	@Test
	void eachClientIdentifierHasASessionStateOfItsOwn() {
		try (FileSessionStore store = open()) {
			store.outgoingSent(1, "a/b", 1, false, "one".getBytes());
			store.flush();
		}
		// [MQTT-3.1.3-2]: the session state is that of the client identifier; an id
		// that differs only in a character a file name cannot hold is another session
		try (FileSessionStore other = new FileSessionStore(this.directory, "client:1",
				FileSessionStore.FsyncPolicy.BATCH)) {
			assertThat(other.load().outgoing()).isEmpty();
			other.outgoingSent(5, "a/c", 1, false, "five".getBytes());
			other.flush();
		}
		try (FileSessionStore store = open()) {
			assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(1);
		}
	}

	@Test
	void whatIsWrittenIsReadBackByTheNextProcess() {
		try (FileSessionStore store = open()) {
			store.outgoingSent(1, "a/b", 1, false, "one".getBytes());
			store.outgoingSent(2, "a/c", 2, true, "two".getBytes());
			store.outgoingSent(3, "a/d", 2, false, "three".getBytes());
			store.outgoingReleased(2);
			store.outgoingDone(1);
			store.incomingReceived(7);
			store.incomingReceived(8);
			store.incomingDelivered(8);
			store.incomingReceived(9);
			store.incomingReleased(9);
			store.flush();
		}
		try (FileSessionStore store = open()) {
			SessionStore.State state = store.load();
			assertThat(state.outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(3, 2);
			SessionStore.Outgoing two = state.outgoing().get(1);
			assertThat(two.released()).isTrue();
			assertThat(two.retain()).isTrue();
			assertThat(new String(two.payload())).isEqualTo("two");
			assertThat(state.outgoing().get(0).released()).isFalse();
			assertThat(state.incomingReceived()).containsExactly(7);
			assertThat(state.incomingDelivered()).containsExactly(8);
		}
	}

	@Test
	void aRecordTornByACrashIsDroppedAndTheRestKept() throws IOException {
		Path file;
		try (FileSessionStore store = open()) {
			store.outgoingSent(1, "t", 1, false, "kept".getBytes());
			store.flush();
			file = store.file();
		}
		// half a record: a length prefix promising more than follows
		Files.write(file, new byte[] { 0, 0, 0, 40, 1, 0, 0 }, StandardOpenOption.APPEND);
		try (FileSessionStore store = open()) {
			assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(1);
			store.outgoingSent(2, "t", 1, false, "after".getBytes());
		}
		try (FileSessionStore store = open()) {
			assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(1, 2);
		}
	}

	@Test
	void theLogIsCompactedToWhatIsLive() throws IOException {
		try (FileSessionStore store = open()) {
			store.outgoingSent(65_535, "live", 2, false, "stays".getBytes());
			for (int i = 0; i < 20_000; i++) {
				int id = (i % 60_000) + 1;
				store.outgoingSent(id, "t", 1, false, new byte[16]);
				store.outgoingDone(id);
				store.flush();
			}
			assertThat(Files.size(store.file())).isLessThan(2 * FileSessionStore.COMPACTION_MINIMUM);
		}
		try (FileSessionStore store = open()) {
			assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(65_535);
		}
	}

	@Test
	void compactionCountsBytesSoOneLiveMessageAmongLargeFinishedOnesKeepsTheLogSmall() throws IOException {
		long largest = 0;
		try (FileSessionStore store = new FileSessionStore(this.directory, "large",
				FileSessionStore.FsyncPolicy.NEVER)) {
			store.outgoingSent(65_535, "live", 1, false, new byte[64 * 1024]);
			for (int i = 0; i < 1_000; i++) {
				int id = (i % 60_000) + 1;
				store.outgoingSent(id, "t", 1, false, new byte[64 * 1024]);
				store.outgoingDone(id);
				store.flush();
				largest = Math.max(largest, Files.size(store.file()));
			}
		}
		// 64 MiB of finished messages went through; the log never grew past a few times
		// the live one
		assertThat(largest).isLessThan(1024 * 1024);
		try (FileSessionStore store = new FileSessionStore(this.directory, "large",
				FileSessionStore.FsyncPolicy.NEVER)) {
			assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(65_535);
		}
	}

	@Test
	void oneClientAtATimeAndNoLockFileLeftBehind() throws IOException {
		FileSessionStore first = open();
		assertThatIllegalStateException().isThrownBy(this::open).withMessageContaining("in use by another client");
		first.close();
		open().close();
		try (Stream<Path> files = Files.list(this.directory)) {
			assertThat(files.map((path) -> path.getFileName().toString())).singleElement()
				.satisfies((name) -> assertThat(name).startsWith("session-client_1-").endsWith(".log"));
		}
	}

	@Test
	void openingAndClosingLeaksNoFileHandles() {
		java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
			.getOperatingSystemMXBean();
		org.junit.jupiter.api.Assumptions.assumeTrue(os instanceof com.sun.management.UnixOperatingSystemMXBean,
				"counting file descriptors needs a Unix JVM");
		com.sun.management.UnixOperatingSystemMXBean unix = (com.sun.management.UnixOperatingSystemMXBean) os;
		open().close();
		long before = unix.getOpenFileDescriptorCount();
		for (int i = 0; i < 500; i++) {
			try (FileSessionStore store = open()) {
				store.outgoingSent(1, "t", 1, false, new byte[1]);
				store.outgoingDone(1);
				store.flush();
			}
		}
		assertThat(unix.getOpenFileDescriptorCount()).isLessThanOrEqualTo(before + 2);
	}

	@Test
	void startUpWith100000StoredRecordsIsBoundedAndMeasured() {
		byte[] payload = "x".repeat(64).getBytes(StandardCharsets.US_ASCII);
		try (FileSessionStore store = new FileSessionStore(this.directory, "big", FileSessionStore.FsyncPolicy.NEVER)) {
			// 65,535 messages in flight (every packet id) and 34,465 records of finished
			// ones
			for (int id = 1; id <= 65_535; id++) {
				store.outgoingSent(id, "sensors/load", 1, false, payload);
			}
			for (int i = 0; i < 34_465; i++) {
				store.incomingReceived((i % 1000) + 1);
			}
		}
		long start = System.nanoTime();
		try (FileSessionStore store = new FileSessionStore(this.directory, "big", FileSessionStore.FsyncPolicy.NEVER)) {
			SessionDriver session = new SessionDriver(new Session(65_535, store));
			List<OutgoingMessage> restored = session.restore(store.load());
			long millis = (System.nanoTime() - start) / 1_000_000;
			System.out.println("Restored 65,535 in-flight messages from 100,000 records in " + millis + " ms");
			assertThat(restored).hasSize(65_535);
			assertThat(session.inflightCount()).isEqualTo(65_535);
			// bounded: linear in the log; generous for a busy 2-core machine
			assertThat(millis).isLessThan(30_000);
		}
	}

	@Test
	void aRestoredSessionResendsInOrderWithDupOrPubRelAndNeverRedeliversQos2() {
		try (FileSessionStore store = open()) {
			SessionDriver first = new SessionDriver(new Session(10, store));
			first.onConnected(false);
			List<Packet> sent = new java.util.ArrayList<>();
			for (String text : List.of("a", "b", "c")) {
				sent.addAll(first.publish(new OutgoingMessage("t", 2, false, text.getBytes(StandardCharsets.UTF_8))));
			}
			assertThat(sent).hasSize(3);
			sent.forEach((packet) -> ((Publish) packet).payload().release());
			first.onPubRec(new PubRec(1));
			first.onPubComp(new PubComp(1));
			first.onPubRec(new PubRec(2));
			SessionDriver.Receipt inbound = first
				.onPublish(new Publish("in", 2, false, false, 42, Unpooled.EMPTY_BUFFER));
			first.onDelivered(inbound.delivery());
			store.flush();
		}
		try (FileSessionStore store = open()) {
			SessionDriver second = new SessionDriver(new Session(10, store));
			second.restore(store.load());
			List<Packet> resent = second.onConnected(true);
			assertThat(resent).hasSize(2);
			assertThat(resent.get(0)).isEqualTo(new PubRel(2));
			Publish again = (Publish) resent.get(1);
			assertThat(again.packetId()).isEqualTo(3);
			assertThat(again.dup()).isTrue();
			assertThat(again.payload().toString(StandardCharsets.UTF_8)).isEqualTo("c");
			again.payload().release();
			// the QoS 2 message delivered by the previous process is answered, not
			// delivered again
			SessionDriver.Receipt redelivered = second
				.onPublish(new Publish("in", 2, false, true, 42, Unpooled.EMPTY_BUFFER));
			assertThat(redelivered.delivery()).isNull();
			assertThat(redelivered.reply()).containsExactly(new PubRec(42));
		}
	}

	@Test
	void releasedMessagesKeepTheOrderOfTheirPubrecsThroughARestartAndACompaction() throws IOException {
		try (FileSessionStore store = open()) {
			SessionDriver first = new SessionDriver(new Session(10, store));
			first.onConnected(false);
			for (String text : List.of("a", "b", "c", "d")) {
				first.publish(new OutgoingMessage("t", 2, false, text.getBytes(StandardCharsets.UTF_8)))
					.forEach((packet) -> ((Publish) packet).payload().release());
			}
			assertThat(first.onPubRec(new PubRec(3))).containsExactly(new PubRel(3));
			assertThat(first.onPubRec(new PubRec(1))).containsExactly(new PubRel(1));
			assertThat(first.onPubRec(new PubRec(2))).containsExactly(new PubRel(2));
			store.flush();
		}
		try (FileSessionStore store = open()) {
			SessionDriver second = new SessionDriver(new Session(10, store));
			second.restore(store.load());
			List<Packet> resent = second.onConnected(true);
			// [MQTT-4.6.0-4]: the PUBRELs in the order their PUBRECs arrived, then the
			// PUBLISH not yet taken
			assertThat(resent).hasSize(4);
			assertThat(resent.subList(0, 3)).containsExactly(new PubRel(3), new PubRel(1), new PubRel(2));
			Publish again = (Publish) resent.get(3);
			assertThat(again.packetId()).isEqualTo(4);
			again.payload().release();
			// a compaction writes the same order
			for (int i = 0; i < 20_000; i++) {
				store.outgoingSent(100, "t", 1, false, new byte[16]);
				store.outgoingDone(100);
				store.flush();
			}
		}
		try (FileSessionStore store = open()) {
			assertThat(store.load().outgoing()).extracting(SessionStore.Outgoing::packetId).containsExactly(4, 3, 1, 2);
		}
	}

}
