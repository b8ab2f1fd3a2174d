package io.umqtt.core.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A broker whose answer to each connection's CONNECT is scripted by connection number, and which
 * refuses every SUBSCRIBE with 0x80 (answering other packets as a broker would). For reconnection
 * and refusal tests.
 */
final class ScriptedBroker implements AutoCloseable {

	private final ServerSocket server;

	private final IntUnaryOperator connackCode;

	private final AtomicInteger connections = new AtomicInteger();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	/** Packet ids of the PUBACKs clients sent, in order. */
	private final List<Integer> pubAcks = new CopyOnWriteArrayList<>();

	private volatile byte[] afterConnack = new byte[0];

	/**
	 * @param connackCode CONNACK return code for the n-th connection (1-based)
	 */
	ScriptedBroker(IntUnaryOperator connackCode) {
		this.connackCode = connackCode;
		try {
			this.server = new ServerSocket();
			this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(this::accept, "scripted-broker");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.server.getLocalPort();
	}

	int connections() {
		return this.connections.get();
	}

	/** Bytes sent to each client right after its CONNACK, e.g. a PUBLISH. */
	void sendAfterConnack(byte[] bytes) {
		this.afterConnack = bytes;
	}

	/** The PUBACK packet ids received so far. */
	List<Integer> pubAcks() {
		return this.pubAcks;
	}

	/** Drops every open connection, as a crashing broker would. */
	void dropAll() throws IOException {
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.sockets.add(socket);
				int number = this.connections.incrementAndGet();
				Thread thread = new Thread(() -> serve(socket, number), "scripted-broker-" + number);
				thread.setDaemon(true);
				thread.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket, int number) {
		try (socket) {
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			while (true) {
				int header = in.read();
				if (header < 0) {
					return;
				}
				byte[] body = in.readNBytes(remainingLength(in));
				int type = header >> 4;
				if (type == 1) {
					int code = this.connackCode.applyAsInt(number);
					out.write(new byte[] { 0x20, 0x02, 0x00, (byte) code });
					if (code != 0) {
						out.flush();
						return;
					}
					out.write(this.afterConnack);
					out.flush();
				}
				else if (type == 8) {
					// SUBACK refusing the (single) filter
					out.write(new byte[] { (byte) 0x90, 0x03, body[0], body[1], (byte) 0x80 });
					out.flush();
				}
				else if (type == 4) {
					this.pubAcks.add(((body[0] & 0xFF) << 8) | (body[1] & 0xFF));
				}
				else if (type == 12) {
					out.write(new byte[] { (byte) 0xD0, 0x00 });
					out.flush();
				}
				else if (type == 14) {
					return;
				}
			}
		}
		catch (IOException ex) {
			// dropped
		}
	}

	/** Reads an MQTT remaining length from {@code in}. */
	static int remainingLength(InputStream in) throws IOException {
		int length = 0;
		int multiplier = 1;
		int digit;
		do {
			digit = in.read();
			if (digit < 0) {
				throw new IOException("closed");
			}
			length += (digit & 0x7F) * multiplier;
			multiplier *= 128;
		}
		while ((digit & 0x80) != 0);
		return length;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		dropAll();
	}

}
