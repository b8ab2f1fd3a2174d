package io.umqtt.core.client;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import io.umqtt.core.store.FileSessionStore;

/**
 * The process the crash test kills: a clean-session-false QoS 1 and QoS 2 publisher with a file session
 * store. {@code StoreChildPublisher <host> <port> <clientId> <storeDir> <first> <count>}: publishes
 * messages {@code first .. first+count-1}, reports {@code ACKED} when the first half is
 * acknowledged and waits for a line on stdin, then publishes the second half, reports
 * {@code PERSISTED} once they are in the store, and waits to be killed. With count 0 it only
 * finishes what the store holds and exits.
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
		MqttClient client = MqttClient.builder(clientId, host)
			.port(port)
			.maxInflight(2_000)
			.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500))
			.sessionStore(store)
			.build();
		client.connect(false);
		if (count == 0) {
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
		long sizeAfterHalf = Files.size(store.file());
		System.out.println("ACKED");
		System.out.flush();
		// the test black-holes the link, then says go
		new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
		for (int i = first + half; i < first + count; i++) {
			byte[] n = ByteBuffer.allocate(4).putInt(i).array();
			client.publishAsync("crash/t", n, false, 2);
			client.publishAsync("crash/1", n, false, 1);
		}
		// each stored PUBLISH is one record: marker, length, checksum, type, id, qos, retain, topic, payload
		long record = 1 + 4 + 4 + 1 + 4 + 1 + 1 + 2 + "crash/t".length() + 4;
		long expected = sizeAfterHalf + 2 * record * (count - half);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (Files.size(store.file()) < expected && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		System.out.println((Files.size(store.file()) >= expected) ? "PERSISTED" : "NOT PERSISTED");
		System.out.flush();
		new java.util.concurrent.CountDownLatch(1).await();
	}

}
