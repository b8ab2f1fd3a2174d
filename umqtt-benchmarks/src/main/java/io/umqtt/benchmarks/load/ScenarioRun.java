package io.umqtt.benchmarks.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import io.umqtt.benchmarks.jmh.WireAccess;
import io.umqtt.benchmarks.load.Peers.Peer;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessageListener;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.packet.Subscribe;
import io.umqtt.core.packet.Subscription;

/**
 * The scenarios beyond publishing from one client, each in a JVM of its own; prints one
 * JSON line of figures.
 * <ul>
 * <li>{@code fanin}: four publishers and one subscriber of the same library in one JVM,
 * QoS 1, complete when the subscriber has every message; msg/s received.</li>
 * <li>{@code pingpong}: one client subscribed to its own topic publishes a message, waits
 * until it comes back through the broker, and publishes the next; round-trip percentiles
 * over at most {@code count} round trips or the given seconds. umqtt is used as the
 * reference API's loop is written: {@code publishAsync}, then {@code waitMsg()} delivers
 * the message in the same thread; Paho and HiveMQ call their listeners on threads of
 * their own. The raw client does the same on a socket, reading in the publishing
 * thread.</li>
 * <li>{@code connections}: {@code count} clients connect and subscribe all at once; the
 * time until every SUBACK, and the heap they hold, measured after a full GC, per
 * connection.</li>
 * </ul>
 * {@code ScenarioRun <scenario> <client> <host> <port> <count> <qos> <payload-bytes> [<seconds at most, ping-pong>]}
 */
public final class ScenarioRun {

	private static final String TOPIC = "bench/scenario/";

	private ScenarioRun() {
	}

	public static void main(String[] args) throws Exception {
		String scenario = args[0];
		String client = args[1];
		String host = args[2];
		int port = Integer.parseInt(args[3]);
		int count = Integer.parseInt(args[4]);
		int qos = Integer.parseInt(args[5]);
		byte[] payload = new byte[Integer.parseInt(args[6])];
		String extra = switch (scenario) {
			case "fanin" -> fanIn(client, host, port, count, qos, payload);
			case "pingpong" ->
				pingPong(client, host, port, count, qos, payload, (args.length > 7) ? Integer.parseInt(args[7]) : 10);
			case "connections" -> connections(client, host, port, count);
			default -> throw new IllegalArgumentException("Unknown scenario " + scenario);
		};
		System.out.println(extra);
		System.exit(0);
	}

	// ---- fan-in ----

	private static String fanIn(String client, String host, int port, int count, int qos, byte[] payload)
			throws Exception {
		int publishers = 4;
		int window = 1_000;
		String topic = TOPIC + "fanin/" + ProcessHandle.current().pid();
		AtomicLong received = new AtomicLong();
		AtomicLong target = new AtomicLong(Long.MAX_VALUE);
		CountDownLatch[] done = new CountDownLatch[1];
		Peer subscriber = Peers.create(client, window);
		Peers.join(subscriber.connect(host, port, "fanin-sub-" + client + ProcessHandle.current().pid(), (message) -> {
			if (received.incrementAndGet() == target.get()) {
				done[0].countDown();
			}
		}));
		Peers.join(subscriber.subscribe(topic, qos));
		List<Peer> senders = new ArrayList<>();
		for (int i = 0; i < publishers; i++) {
			Peer peer = Peers.create(client, window);
			Peers.join(peer.connect(host, port, "fanin-pub-" + i + "-" + client + ProcessHandle.current().pid(), null));
			senders.add(peer);
		}
		// warm up on a quarter, then measure
		String result = null;
		for (int phase = 0; phase < 2; phase++) {
			int perPublisher = ((phase == 0) ? count / 4 : count) / publishers;
			done[0] = new CountDownLatch(1);
			received.set(0);
			target.set((long) perPublisher * publishers);
			Measurement measurement = new Measurement();
			measurement.start();
			Thread[] threads = new Thread[publishers];
			for (int i = 0; i < publishers; i++) {
				Peer peer = senders.get(i);
				threads[i] = new Thread(() -> publishWindowed(peer, topic, payload, qos, perPublisher, window),
						"fanin-publisher-" + i);
				threads[i].start();
			}
			if (!done[0].await(3, TimeUnit.MINUTES)) {
				throw new IllegalStateException("Only " + received.get() + " of " + target.get() + " received");
			}
			result = measurement.stop(client, "mosquitto", qos, perPublisher * publishers, payload.length);
			for (Thread thread : threads) {
				thread.join(TimeUnit.MINUTES.toMillis(1));
			}
		}
		closeAll(subscriber, senders);
		return result.replace("{\"client\"", "{\"scenario\":\"fanin\",\"client\"");
	}

	private static void publishWindowed(Peer peer, String topic, byte[] payload, int qos, int count, int window) {
		Semaphore permits = new Semaphore(window);
		try {
			for (int i = 0; i < count; i++) {
				permits.acquire();
				peer.publish(topic, payload, qos).whenComplete((ok, failure) -> {
					if (failure != null) {
						failure.printStackTrace();
					}
					permits.release();
				});
			}
			if (!permits.tryAcquire(window, 3, TimeUnit.MINUTES)) {
				throw new IllegalStateException("Publishes not acknowledged");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void closeAll(Peer subscriber, List<Peer> senders) throws Exception {
		for (Peer peer : senders) {
			peer.close();
		}
		subscriber.close();
	}

	// ---- ping-pong ----

	private static String pingPong(String client, String host, int port, int count, int qos, byte[] payload,
			int seconds) throws Exception {
		String topic = TOPIC + "pingpong/" + ProcessHandle.current().pid();
		int warmup = Math.max(2_000, count / 2);
		long[] nanos = new long[count];
		Measurement measurement = new Measurement();
		// bounded in time as well as in count: a client with a 40 ms stall per round trip
		// would
		// otherwise take minutes
		long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(1, seconds / 2));
		int measured = 0;
		RoundTrip roundTrip;
		AutoCloseable connection;
		if (client.equals("raw")) {
			RawPingPong raw = new RawPingPong(host, port, topic, qos, payload);
			roundTrip = raw::roundTrip;
			connection = raw;
		}
		else if (client.equals("umqtt")) {
			// the reference API's loop: publish, then wait_msg() delivers the message in
			// this thread
			MqttClient umqtt = MqttClient.builder("pingpong-umqtt-" + ProcessHandle.current().pid(), host)
				.port(port)
				.connectTimeout(Duration.ofMinutes(2))
				.build();
			umqtt.setCallback((MqttMessageListener) (message) -> {
			});
			umqtt.connect();
			umqtt.subscribe(topic, qos);
			roundTrip = () -> {
				umqtt.publishAsync(topic, payload, false, qos);
				if (!umqtt.waitMsg(Duration.ofSeconds(10))) {
					throw new IllegalStateException("Message did not come back within 10 s");
				}
			};
			connection = umqtt::disconnect;
		}
		else {
			Semaphore back = new Semaphore(0);
			Peer peer = Peers.create(client, 16);
			Peers.join(peer.connect(host, port, "pingpong-" + client + ProcessHandle.current().pid(),
					(message) -> back.release()));
			Peers.join(peer.subscribe(topic, qos));
			roundTrip = () -> {
				peer.publish(topic, payload, qos);
				acquire(back);
			};
			connection = peer::close;
		}
		for (int i = 0; i < warmup && System.nanoTime() < warmupEnd; i++) {
			roundTrip.run();
		}
		measurement.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (measured < count && System.nanoTime() < deadline) {
			long start = System.nanoTime();
			roundTrip.run();
			nanos[measured++] = System.nanoTime() - start;
		}
		String result = measurement.stop(client, "mosquitto", qos, measured, payload.length);
		connection.close();
		long[] sorted = Arrays.copyOf(nanos, measured);
		Arrays.sort(sorted);
		return result.replace("{\"client\"", "{\"scenario\":\"pingpong\",\"client\"")
			.replace("}", String.format(Locale.ROOT, ",\"p50Micros\":%.1f,\"p99Micros\":%.1f,\"p999Micros\":%.1f}",
					percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999)));
	}

	/** One publish and the wait for it to come back. */
	interface RoundTrip {

		void run() throws Exception;

	}

	private static void acquire(Semaphore back) throws InterruptedException {
		if (!back.tryAcquire(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Message did not come back within 10 s");
		}
	}

	private static double percentile(long[] sorted, double fraction) {
		int index = (int) Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e3;
	}

	/** Ping-pong over a socket with pre-encoded packets: the limit for the round trip. */
	static final class RawPingPong implements AutoCloseable {

		private final Socket socket;

		private final OutputStream out;

		private final DataInputStream in;

		private final int qos;

		private final byte[] packet;

		private final int idOffset;

		private final byte[] skip = new byte[64 * 1024];

		private int packetId;

		RawPingPong(String host, int port, String topic, int qos, byte[] payload) throws IOException {
			this.socket = new Socket(host, port);
			this.socket.setTcpNoDelay(true);
			this.out = new BufferedOutputStream(this.socket.getOutputStream(), 64 * 1024);
			this.in = new DataInputStream(new BufferedInputStream(this.socket.getInputStream(), 64 * 1024));
			this.qos = qos;
			this.out.write(WireAccess
				.encoded(new Connect(4, true, 0, "pingpong-raw-" + ProcessHandle.current().pid(), null, null, null)));
			this.out.flush();
			expect(0x20);
			this.out.write(WireAccess.encoded(new Subscribe(1, List.of(new Subscription(topic, qos)))));
			this.out.flush();
			expect(0x90);
			this.packet = WireAccess
				.encoded(new Publish(topic, qos, false, false, (qos > 0) ? 1 : 0, Unpooled.wrappedBuffer(payload)));
			this.idOffset = this.packet.length - payload.length - 2;
		}

		/**
		 * Publishes and reads until its own message is back (and, at QoS 1, acknowledged
		 * both ways).
		 */
		void roundTrip() throws IOException {
			if (this.qos > 0) {
				this.packetId = (this.packetId % 65_535) + 1;
				this.packet[this.idOffset] = (byte) (this.packetId >> 8);
				this.packet[this.idOffset + 1] = (byte) this.packetId;
			}
			this.out.write(this.packet);
			this.out.flush();
			boolean acked = this.qos == 0;
			boolean back = false;
			while (!acked || !back) {
				int first = this.in.readUnsignedByte();
				int remaining = remainingLength();
				if ((first >> 4) == 3) {
					int topicLength = this.in.readUnsignedShort();
					this.in.readFully(this.skip, 0, topicLength);
					int rest = remaining - 2 - topicLength;
					if (((first >> 1) & 3) > 0) {
						int id = this.in.readUnsignedShort();
						rest -= 2;
						this.out.write(new byte[] { 0x40, 0x02, (byte) (id >> 8), (byte) id });
						this.out.flush();
					}
					this.in.readFully(this.skip, 0, rest);
					back = true;
				}
				else {
					this.in.readFully(this.skip, 0, remaining);
					acked |= (first >> 4) == 4;
				}
			}
		}

		private int remainingLength() throws IOException {
			int value = 0;
			for (int shift = 0;; shift += 7) {
				int digit = this.in.readUnsignedByte();
				value |= (digit & 0x7F) << shift;
				if ((digit & 0x80) == 0) {
					return value;
				}
			}
		}

		private void expect(int type) throws IOException {
			int first = this.in.readUnsignedByte();
			this.in.readFully(this.skip, 0, remainingLength());
			if (first != type) {
				throw new IOException(
						"Expected packet 0x" + Integer.toHexString(type) + ", got 0x" + Integer.toHexString(first));
			}
		}

		@Override
		public void close() throws IOException {
			this.out.write(new byte[] { (byte) 0xE0, 0x00 });
			this.out.flush();
			this.socket.close();
		}

	}

	// ---- many connections ----

	private static String connections(String client, String host, int port, int count) throws Exception {
		long heapBefore = usedHeapAfterGc();
		Measurement measurement = new Measurement();
		measurement.start();
		long start = System.nanoTime();
		List<Peer> peers = new ArrayList<>(count);
		List<CompletableFuture<?>> subscribed = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			Peer peer = Peers.create(client, 16);
			peers.add(peer);
			String filter = TOPIC + "connections/" + i;
			subscribed
				.add(peer.connect(host, port, "conn-" + client + "-" + i + "-" + ProcessHandle.current().pid(), null)
					.thenCompose((connected) -> peer.subscribe(filter, 1)));
		}
		CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
		double seconds = (System.nanoTime() - start) / 1e9;
		String measured = measurement.stop(client, "mosquitto", 1, count, 0);
		long heapAfter = usedHeapAfterGc();
		long threads = ManagementFactory.getThreadMXBean().getThreadCount();
		for (Peer peer : peers) {
			peer.close();
		}
		return measured.replace("{\"client\"", "{\"scenario\":\"connections\",\"client\"")
			.replace("}",
					String.format(Locale.ROOT, ",\"connectSeconds\":%.2f,\"heapPerConnectionKiB\":%.1f,\"threads\":%d}",
							seconds, (heapAfter - heapBefore) / 1024.0 / count, threads));
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

}
