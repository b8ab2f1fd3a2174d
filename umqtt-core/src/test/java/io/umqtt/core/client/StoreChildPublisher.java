package io.umqtt.core.client;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import io.umqtt.core.session.SessionStore;
import io.umqtt.core.store.FileSessionStore;

/**
 * The process the crash test kills: a clean-session-false QoS 1 and QoS 2 publisher with
 * a file session store.
 * {@code StoreChildPublisher <host> <port> <clientId> <storeDir> <first> <count>}:
 * publishes messages {@code first .. first+count-1}, reports {@code ACKED} when the first
 * half is acknowledged and waits for a line on stdin, then publishes the second half,
 * reports {@code PERSISTED} once they are in the store, and waits to be killed. With
 * count 0 it reports whether the broker resumed the session ({@code RESUMED} or
 * {@code NOT RESUMED}), finishes what the store holds and exits. A seventh argument
 * {@code 5} connects on MQTT 5 with a session expiry of five minutes.
 */
public final class StoreChildPublisher {

	private StoreChildPublisher() {
	}

	public static void main(String[] args) throws Exception {
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		String clientId = args[2];
		Path storeDir = Path.of(args[3]);
		int first = Integer.parseInt(args[4]);
		int count = Integer.parseInt(args[5]);
		FileSessionStore store = new FileSessionStore(storeDir, clientId, FileSessionStore.FsyncPolicy.ALWAYS);
		CountingStore counting = new CountingStore(store);
		MqttClient.Builder builder = MqttClient.builder(clientId, host)
			.port(port)
			.maxInflight(2_000)
			.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500))
			.sessionStore(counting);
		if (args.length > 6 && args[6].equals("5")) {
			// on 5 the broker keeps the session only with a session expiry
			builder.version(5).sessionExpiry(Duration.ofMinutes(5));
		}
		MqttClient client = builder.build();
		client.connect(false);
		if (count == 0) {
			System.out.println(client.isSessionPresent() ? "RESUMED" : "NOT RESUMED");
			// finish what the killed process left in flight, then say goodbye
			client.disconnect(Duration.ofSeconds(60));
			System.out.println("DONE");
			return;
		}
		int half = count / 2;
		List<CompletableFuture<Void>> acked = new ArrayList<>();
		for (int i = first; i < first + half; i++) {
			byte[] n = ByteBuffer.allocate(4).putInt(i).array();
			acked.add(client.publishAsync("crash/t", n, false, 2));
			acked.add(client.publishAsync("crash/1", n, false, 1));
		}
		CompletableFuture.allOf(acked.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
		counting.startCounting();
		System.out.println("ACKED");
		System.out.flush();
		// the test black-holes the link, then says go
		new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
		for (int i = first + half; i < first + count; i++) {
			byte[] n = ByteBuffer.allocate(4).putInt(i).array();
			client.publishAsync("crash/t", n, false, 2);
			client.publishAsync("crash/1", n, false, 1);
		}
		// every second-half PUBLISH recorded, and a flush (an fsync with
		// FsyncPolicy.ALWAYS) after it
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!counting.flushedAfter(2L * (count - half)) && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		System.out.println(counting.flushedAfter(2L * (count - half)) ? "PERSISTED" : "NOT PERSISTED");
		System.out.flush();
		new java.util.concurrent.CountDownLatch(1).await();
	}

	/**
	 * The file store, counting what it was given: a PUBLISH is on disk once it was
	 * recorded and a flush returned after that. (The log's size says nothing once
	 * compaction has run.)
	 */
	private static final class CountingStore implements SessionStore {

		private final FileSessionStore store;

		private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();

		private volatile long flushed;

		private volatile boolean counting;

		CountingStore(FileSessionStore store) {
			this.store = store;
		}

		void startCounting() {
			this.counting = true;
		}

		boolean flushedAfter(long publishes) {
			return this.flushed >= publishes;
		}

		@Override
		public State load() {
			return this.store.load();
		}

		@Override
		public void outgoingSent(int packetId, String topic, int qos, boolean retain, byte[] payload) {
			this.store.outgoingSent(packetId, topic, qos, retain, payload);
			if (this.counting) {
				this.sent.incrementAndGet();
			}
		}

		@Override
		public void outgoingReleased(int packetId) {
			this.store.outgoingReleased(packetId);
		}

		@Override
		public void outgoingDone(int packetId) {
			this.store.outgoingDone(packetId);
		}

		@Override
		public void incomingReceived(int packetId) {
			this.store.incomingReceived(packetId);
		}

		@Override
		public void incomingDelivered(int packetId) {
			this.store.incomingDelivered(packetId);
		}

		@Override
		public void incomingReleased(int packetId) {
			this.store.incomingReleased(packetId);
		}

		@Override
		public void clear() {
			this.store.clear();
		}

		@Override
		public void flush() {
			long recorded = this.sent.get();
			this.store.flush();
			this.flushed = recorded;
		}

		@Override
		public void close() {
			this.store.close();
		}

	}

}
