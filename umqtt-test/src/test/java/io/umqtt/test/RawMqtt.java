package io.umqtt.test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Just enough MQTT 3.1.1 over a plain socket to check a test broker from the outside,
 * with no dependency on the client under test.
 */
final class RawMqtt implements AutoCloseable {

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	RawMqtt(Socket socket) throws IOException {
		this.socket = socket;
		this.socket.setSoTimeout(10_000);
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	static RawMqtt open(MqttBroker broker) throws IOException {
		return new RawMqtt(new Socket(broker.host(), broker.port()));
	}

	/** Sends CONNECT and returns the CONNACK as {sessionPresent, returnCode}. */
	int[] connect(String clientId, boolean cleanSession, String user, String password) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		writeString(body, "MQTT");
		body.write(4);
		int flags = cleanSession ? 0x02 : 0;
		if (user != null) {
			flags |= 0x80;
		}
		if (password != null) {
			flags |= 0x40;
		}
		body.write(flags);
		body.write(0);
		body.write(60);
		writeString(body, clientId);
		if (user != null) {
			writeString(body, user);
		}
		if (password != null) {
			writeString(body, password);
		}
		send(0x10, body.toByteArray());
		int[] packet = readHeader();
		if (packet[0] != 0x20 || packet[1] != 2) {
			throw new IOException("Expected CONNACK, got type 0x" + Integer.toHexString(packet[0]));
		}
		return new int[] { this.in.readUnsignedByte() & 1, this.in.readUnsignedByte() };
	}

	/** Subscribes one filter and returns the granted QoS from the SUBACK. */
	int subscribe(int packetId, String filter, int qos) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.write(packetId >> 8);
		body.write(packetId);
		writeString(body, filter);
		body.write(qos);
		send(0x82, body.toByteArray());
		int[] packet = readHeader();
		if (packet[0] != 0x90) {
			throw new IOException("Expected SUBACK, got type 0x" + Integer.toHexString(packet[0]));
		}
		byte[] rest = this.in.readNBytes(packet[1]);
		return rest[rest.length - 1] & 0xFF;
	}

	/** Publishes with QoS 1 and waits for the PUBACK. */
	void publishQos1(int packetId, String topic, String payload) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		writeString(body, topic);
		body.write(packetId >> 8);
		body.write(packetId);
		body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
		send(0x32, body.toByteArray());
		int[] packet = readHeader();
		if (packet[0] != 0x40) {
			throw new IOException("Expected PUBACK, got type 0x" + Integer.toHexString(packet[0]));
		}
		this.in.readNBytes(packet[1]);
	}

	/** Reads the next PUBLISH and returns its payload as text (acknowledging QoS 1). */
	String receive() throws IOException {
		int[] packet = readHeader();
		if ((packet[0] & 0xF0) != 0x30) {
			throw new IOException("Expected PUBLISH, got type 0x" + Integer.toHexString(packet[0]));
		}
		byte[] body = this.in.readNBytes(packet[1]);
		int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
		int offset = 2 + topicLength;
		int qos = (packet[0] >> 1) & 3;
		if (qos > 0) {
			send(0x40, new byte[] { body[offset], body[offset + 1] });
			offset += 2;
		}
		return new String(body, offset, body.length - offset, StandardCharsets.UTF_8);
	}

	void disconnect() throws IOException {
		send(0xE0, new byte[0]);
		this.socket.close();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	private void send(int header, byte[] body) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(header);
		int length = body.length;
		do {
			int digit = length % 128;
			length /= 128;
			frame.write((length > 0) ? digit | 0x80 : digit);
		}
		while (length > 0);
		frame.writeBytes(body);
		this.out.write(frame.toByteArray());
		this.out.flush();
	}

	private int[] readHeader() throws IOException {
		int type = this.in.readUnsignedByte();
		int length = 0;
		int multiplier = 1;
		int digit;
		do {
			digit = this.in.readUnsignedByte();
			length += (digit & 0x7F) * multiplier;
			multiplier *= 128;
		}
		while ((digit & 0x80) != 0);
		return new int[] { type, length };
	}

	private static void writeString(ByteArrayOutputStream out, String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		out.write(bytes.length >> 8);
		out.write(bytes.length);
		out.writeBytes(bytes);
	}

}
