package io.umqtt.benchmarks.load;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import io.netty.buffer.Unpooled;
import io.umqtt.core.MqttClient;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.Publish;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One client publishing {@code count} messages as fast as it can with at most
 * {@code inflight} unacknowledged, in a JVM of its own; prints one JSON line of figures.
 * Complete means: QoS 1 and 2, every PUBACK or PUBCOMP arrived; QoS 0, every message
 * written and then one QoS 1 marker acknowledged (TCP order means the broker has read
 * everything before it).
 * <p>
 * Every client is used the way its documentation recommends for throughput: umqtt's
 * {@code publishAsync}, Paho's {@code MqttAsyncClient} with {@code MemoryPersistence} and
 * the in-flight window raised, HiveMQ's async API; Paho and HiveMQ get a semaphore as
 * window, released in their completion callbacks (umqtt has its own). "raw" writes
 * pre-encoded packets to a socket: the limit no client can pass.
 * <p>
 * Clients {@code umqtt5}, {@code umqtt5-noalias} (outbound topic aliases off),
 * {@code hivemq5} and {@code paho5} publish on MQTT 5 ({@link Publish5Runners}).
 * <p>
 * {@code PublishRun <client> <broker-label> <host> <port> <qos> <count> <payload-bytes> <inflight> [<warm-up count> [<topic>]]}
 */
public final class PublishRun {

	private static final String TOPIC = "bench/load/sensor-42";

	private PublishRun() {
	}

	public static void main(String[] args) throws Exception {
		String client = args[0];
		String broker = args[1];
		String host = args[2];
		int port = Integer.parseInt(args[3]);
		int qos = Integer.parseInt(args[4]);
		int count = Integer.parseInt(args[5]);
		byte[] payload = new byte[Integer.parseInt(args[6])];
		int inflight = Integer.parseInt(args[7]);
		// warm up the JIT (C2 needs tens of thousands of iterations of the hot path),
		// then measure
		int warmup = (args.length > 8) ? Integer.parseInt(args[8]) : Math.max(50_000, count / 4);
		Runner runner = switch (client) {
			case "umqtt" -> new UmqttRunner();
			case "paho" -> new PahoRunner();
			case "hivemq" -> new HiveMqRunner();
			case "raw" -> new RawRunner();
			case "umqtt5" -> new Publish5Runners.Umqtt(true);
			case "umqtt5-noalias" -> new Publish5Runners.Umqtt(false);
			case "hivemq5" -> new Publish5Runners.HiveMq();
			case "paho5" -> new Publish5Runners.Paho();
			default -> throw new IllegalArgumentException("Unknown client " + client);
		};
		// the topic published to: the default, or e.g. a long one to show MQTT 5 topic
		// aliases
		String topic = (args.length > 9) ? args[9] : TOPIC;
		runner.connect(host, port, inflight);
		runner.publish(topic, qos, warmup, payload, inflight);
		Measurement measurement = new Measurement();
		measurement.start();
		runner.publish(topic, qos, count, payload, inflight);
		String result = measurement.stop(client, broker, qos, count, payload.length);
		runner.close();
		// the pid names the connection in the null broker's wire statistics
		System.out
			.println(result.substring(0, result.length() - 1) + ",\"pid\":" + ProcessHandle.current().pid() + "}");
		System.exit(0);
	}

	interface Runner {

		void connect(String host, int port, int inflight) throws Exception;

		void publish(String topic, int qos, int count, byte[] payload, int inflight) throws Exception;

		void close() throws Exception;

	}

	static void await(CountDownLatch latch) throws InterruptedException {
		if (!latch.await(5, TimeUnit.MINUTES)) {
			throw new IllegalStateException("Not complete after 5 minutes: " + latch.getCount() + " left");
		}
	}

	static final class UmqttRunner implements Runner {

		private MqttClient client;

		@Override
		public void connect(String host, int port, int inflight) {
			this.client = MqttClient.builder("bench-umqtt-" + ProcessHandle.current().pid(), host)
				.port(port)
				.maxInflight(inflight)
				.outboundQueueCapacity(Math.max(10_000, inflight * 4))
				.publishTimeout(Duration.ofMinutes(5))
				.build();
			this.client.connect();
		}

		@Override
		public void publish(String topic, int qos, int count, byte[] payload, int inflight) throws Exception {
			CountDownLatch done = new CountDownLatch(count);
			for (int i = 0; i < count; i++) {
				this.client.publishAsync(topic, payload, false, qos).whenComplete((ok, failure) -> {
					if (failure != null) {
						failure.printStackTrace();
					}
					done.countDown();
				});
			}
			await(done);
			if (qos == 0 && !this.client.publish(topic, payload, false, 1)) {
				throw new IllegalStateException("marker not acknowledged");
			}
		}

		@Override
		public void close() {
			this.client.disconnect();
		}

	}

	static final class PahoRunner implements Runner {

		private MqttAsyncClient client;

		private volatile Semaphore window;

		private volatile CountDownLatch done;

		@Override
		public void connect(String host, int port, int inflight) throws Exception {
			this.client = new MqttAsyncClient("tcp://" + host + ":" + port,
					"bench-paho-" + ProcessHandle.current().pid(), new MemoryPersistence());
			MqttConnectOptions options = new MqttConnectOptions();
			options.setCleanSession(true);
			options.setMaxInflight(inflight);
			options.setAutomaticReconnect(false);
			this.client.setCallback(new MqttCallback() {
				@Override
				public void connectionLost(Throwable cause) {
					cause.printStackTrace();
				}

				@Override
				public void messageArrived(String topic, MqttMessage message) {
				}

				@Override
				public void deliveryComplete(IMqttDeliveryToken token) {
					PahoRunner.this.window.release();
					PahoRunner.this.done.countDown();
				}
			});
			this.client.connect(options).waitForCompletion(30_000);
		}

		@Override
		public void publish(String topic, int qos, int count, byte[] payload, int inflight) throws Exception {
			this.window = new Semaphore(inflight);
			this.done = new CountDownLatch(count);
			for (int i = 0; i < count; i++) {
				this.window.acquire();
				this.client.publish(topic, payload, qos, false);
			}
			await(this.done);
			if (qos == 0) {
				this.done = new CountDownLatch(1);
				this.window.acquire();
				this.client.publish(topic, payload, 1, false);
				await(this.done);
			}
		}

		@Override
		public void close() throws Exception {
			this.client.disconnect().waitForCompletion(10_000);
			this.client.close();
		}

	}

	static final class HiveMqRunner implements Runner {

		private Mqtt3AsyncClient client;

		@Override
		public void connect(String host, int port, int inflight) {
			this.client = com.hivemq.client.mqtt.MqttClient.builder()
				.useMqttVersion3()
				.identifier("bench-hivemq-" + ProcessHandle.current().pid())
				.serverHost(host)
				.serverPort(port)
				.buildAsync();
			this.client.connect().join();
		}

		@Override
		public void publish(String topic, int qos, int count, byte[] payload, int inflight) throws Exception {
			Semaphore window = new Semaphore(inflight);
			CountDownLatch done = new CountDownLatch(count);
			MqttQos level = MqttQos.fromCode(qos);
			for (int i = 0; i < count; i++) {
				window.acquire();
				this.client.publishWith()
					.topic(topic)
					.qos(level)
					.payload(payload)
					.send()
					.whenComplete((ok, failure) -> {
						if (failure != null) {
							failure.printStackTrace();
						}
						window.release();
						done.countDown();
					});
			}
			await(done);
			if (qos == 0) {
				this.client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send().join();
			}
		}

		@Override
		public void close() {
			this.client.disconnect().join();
		}

	}

	/**
	 * Pre-encoded packets written straight to a socket; a reader thread takes the
	 * acknowledgements.
	 */
	static final class RawRunner implements Runner {

		private Socket socket;

		private OutputStream out;

		private DataInputStream in;

		private volatile Semaphore window = new Semaphore(1);

		private volatile CountDownLatch done = new CountDownLatch(0);

		private Thread reader;

		@Override
		public void connect(String host, int port, int inflight) throws Exception {
			this.socket = new Socket(host, port);
			this.socket.setTcpNoDelay(true);
			this.out = new BufferedOutputStream(this.socket.getOutputStream(), 256 * 1024);
			this.in = new DataInputStream(new java.io.BufferedInputStream(this.socket.getInputStream(), 64 * 1024));
			write(new Connect(4, true, 0, "bench-raw-" + ProcessHandle.current().pid(), null, null, null));
			this.out.flush();
			int type = this.in.readUnsignedByte();
			this.in.readUnsignedByte();
			this.in.readUnsignedShort();
			if (type != 0x20) {
				throw new IOException("no CONNACK");
			}
			this.reader = new Thread(this::readAcks, "raw-reader");
			this.reader.setDaemon(true);
			this.reader.start();
		}

		private void write(io.umqtt.core.packet.Packet packet) throws IOException {
			java.util.List<Object> buffers = new java.util.ArrayList<>();
			io.umqtt.core.codec.PacketEncoder.INSTANCE.encode(packet, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT,
					buffers);
			for (Object buffer : buffers) {
				io.netty.buffer.ByteBuf buf = (io.netty.buffer.ByteBuf) buffer;
				buf.readBytes(this.out, buf.readableBytes());
				buf.release();
			}
		}

		private void readAcks() {
			try {
				while (true) {
					int type = this.in.readUnsignedByte() >> 4;
					this.in.readUnsignedByte();
					int id = this.in.readUnsignedShort();
					if (type == 5) {
						// PUBREC: release with PUBREL (flags 0010)
						synchronized (this.out) {
							this.out.write(new byte[] { 0x62, 0x02, (byte) (id >> 8), (byte) id });
							this.out.flush();
						}
					}
					else if (type == 4 || type == 7) {
						this.window.release();
						this.done.countDown();
					}
				}
			}
			catch (IOException ex) {
				// socket closed at the end
			}
		}

		@Override
		public void publish(String topic, int qos, int count, byte[] payload, int inflight) throws Exception {
			// one pre-encoded packet; only the packet id changes
			byte[] packet = io.umqtt.benchmarks.jmh.WireAccess.encoded(new Publish(topic, Math.max(qos, 0), false,
					false, (qos > 0) ? 1 : 0, Unpooled.wrappedBuffer(payload)));
			int idOffset = packet.length - payload.length - 2;
			this.window = new Semaphore(inflight);
			this.done = new CountDownLatch((qos > 0) ? count : 1);
			for (int i = 0; i < count; i++) {
				if (qos > 0) {
					if (!this.window.tryAcquire()) {
						synchronized (this.out) {
							this.out.flush();
						}
						this.window.acquire();
					}
					int id = (i % 65_535) + 1;
					packet[idOffset] = (byte) (id >> 8);
					packet[idOffset + 1] = (byte) id;
				}
				synchronized (this.out) {
					this.out.write(packet);
				}
			}
			if (qos == 0) {
				byte[] marker = io.umqtt.benchmarks.jmh.WireAccess
					.encoded(new Publish(topic, 1, false, false, 1, Unpooled.wrappedBuffer(payload)));
				synchronized (this.out) {
					this.out.write(marker);
				}
			}
			synchronized (this.out) {
				this.out.flush();
			}
			await(this.done);
		}

		@Override
		public void close() throws IOException {
			synchronized (this.out) {
				this.out.write(new byte[] { (byte) 0xE0, 0x00 });
				this.out.flush();
			}
			this.socket.close();
		}

	}

}
