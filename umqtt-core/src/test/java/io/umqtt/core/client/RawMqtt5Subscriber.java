package io.umqtt.core.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.umqtt.core.SubscribeOptions;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.packet.Subscribe;
import io.umqtt.core.packet.Subscription;

/**
 * An MQTT 5 subscriber over a plain socket and umqtt's level 5 codec, for tests that look
 * at the properties of what a broker delivers: it keeps each PUBLISH it receives at QoS
 * 0, properties and all. Close it to end the connection.
 */
final class RawMqtt5Subscriber implements AutoCloseable {

	private final Socket socket;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final PacketDecoder decoder = new PacketDecoder(PacketDecoder.DEFAULT_MAX_PACKET_SIZE, 5);

	private RawMqtt5Subscriber(Socket socket) {
		this.socket = socket;
	}

	/**
	 * Connects to {@code host:port}, subscribes to {@code filter} at QoS 0 and waits for
	 * the SUBACK.
	 */
	static RawMqtt5Subscriber subscribe(String host, int port, String filter) throws IOException {
		RawMqtt5Subscriber subscriber = new RawMqtt5Subscriber(new Socket(host, port));
		subscriber.send(new Connect(5, true, 0, Clients.id("raw5"), null, null, null));
		subscriber.read();
		subscriber.send(new Subscribe(1, List.of(new Subscription(filter, 0, SubscribeOptions.DEFAULT)),
				PacketProperties.NONE));
		subscriber.read();
		Thread reader = new Thread(subscriber::readPublishes, "raw-mqtt5-subscriber");
		reader.setDaemon(true);
		reader.start();
		return subscriber;
	}

	/** The PUBLISHes received so far, in order. */
	List<Received> received() {
		return this.received;
	}

	private void send(Packet packet) throws IOException {
		ByteBuf buffer = Unpooled.buffer();
		PacketEncoder.MQTT_5.encode(packet, buffer);
		this.socket.getOutputStream().write(ByteBufUtil.getBytes(buffer));
		this.socket.getOutputStream().flush();
		buffer.release();
	}

	private Packet read() throws IOException {
		InputStream in = this.socket.getInputStream();
		int header = in.read();
		if (header < 0) {
			throw new IOException("closed by the broker");
		}
		int length = ScriptedBroker.remainingLength(in);
		byte[] body = in.readNBytes(length);
		java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
		whole.write(header);
		int rest = length;
		do {
			int digit = rest % 128;
			rest /= 128;
			whole.write((rest > 0) ? (digit | 0x80) : digit);
		}
		while (rest > 0);
		whole.writeBytes(body);
		return this.decoder.decode(Unpooled.wrappedBuffer(whole.toByteArray()));
	}

	private void readPublishes() {
		try {
			while (!this.socket.isClosed()) {
				if (read() instanceof Publish publish) {
					this.received.add(new Received(publish.topic(), ByteBufUtil.getBytes(publish.payload()),
							publish.properties()));
				}
			}
		}
		catch (IOException ex) {
			if (!this.socket.isClosed()) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** A PUBLISH received: its topic, payload and properties. */
	record Received(String topic, byte[] payload, PacketProperties properties) {

		String payloadAsString() {
			return new String(this.payload, java.nio.charset.StandardCharsets.UTF_8);
		}

	}

}
