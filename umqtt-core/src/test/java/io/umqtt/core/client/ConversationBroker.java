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

/**
 * A broker whose every connection follows a script written in the test: read this packet,
 * answer that, close here. It checks what a client sends at exact points of the protocol.
 */
final class ConversationBroker implements AutoCloseable {

	/** One connection's script; connection numbers start at 1. */
	@FunctionalInterface
	interface Script {

		void run(int connection, Conversation conversation) throws IOException;

	}

	/** A packet as read: first byte and body. */
	record Packet(int header, byte[] body) {

		int type() {
			return this.header >> 4;
		}

		boolean dup() {
			return (this.header & 0x08) != 0;
		}

		int packetId() {
			return ((this.body[0] & 0xFF) << 8) | (this.body[1] & 0xFF);
		}

		/** The packet id of a PUBLISH (after its topic). */
		int publishId() {
			int topicLength = ((this.body[0] & 0xFF) << 8) | (this.body[1] & 0xFF);
			return ((this.body[2 + topicLength] & 0xFF) << 8) | (this.body[3 + topicLength] & 0xFF);
		}

	}

	/** Reading and writing on one connection. */
	static final class Conversation {

		private final InputStream in;

		private final OutputStream out;

		private final Socket socket;

		Conversation(Socket socket) throws IOException {
			this.socket = socket;
			this.in = socket.getInputStream();
			this.out = socket.getOutputStream();
		}

		Packet read() throws IOException {
			int header = this.in.read();
			if (header < 0) {
				throw new IOException("client closed");
			}
			return new Packet(header, this.in.readNBytes(ScriptedBroker.remainingLength(this.in)));
		}

		/** Reads packets until one of {@code type}, answering PINGREQ on the way. */
		Packet read(int type) throws IOException {
			while (true) {
				Packet packet = read();
				if (packet.type() == type) {
					return packet;
				}
				if (packet.type() == 12) {
					write(0xD0, 0x00);
				}
			}
		}

		void write(int... bytes) throws IOException {
			byte[] raw = new byte[bytes.length];
			for (int i = 0; i < bytes.length; i++) {
				raw[i] = (byte) bytes[i];
			}
			this.out.write(raw);
			this.out.flush();
		}

		/**
		 * Ends the connection with a reset (RST), as the kernel does for a process that
		 * closes or dies with data unread.
		 */
		void reset() throws IOException {
			this.socket.setSoLinger(true, 0);
			this.socket.close();
		}

		/** Reads the CONNECT and accepts it. */
		void accept(boolean sessionPresent) throws IOException {
			read(1);
			write(0x20, 0x02, sessionPresent ? 1 : 0, 0x00);
		}

	}

	private final ServerSocket server;

	private final AtomicInteger connections = new AtomicInteger();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final List<Throwable> failures = new CopyOnWriteArrayList<>();

	ConversationBroker(Script script) {
		try {
			this.server = new ServerSocket();
			this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(() -> {
			while (!this.server.isClosed()) {
				try {
					Socket socket = this.server.accept();
					this.sockets.add(socket);
					int number = this.connections.incrementAndGet();
					Thread thread = new Thread(() -> {
						try (socket) {
							script.run(number, new Conversation(socket));
						}
						catch (IOException ex) {
							// the script or the client closed the connection
						}
						catch (RuntimeException | AssertionError ex) {
							this.failures.add(ex);
						}
					}, "conversation-" + number);
					thread.setDaemon(true);
					thread.start();
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "conversation-broker");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.server.getLocalPort();
	}

	/** The connections accepted so far, in order. */
	List<Socket> sockets() {
		return this.sockets;
	}

	/** How many connections were accepted. */
	int connections() {
		return this.connections.get();
	}

	/** Assertion failures raised inside scripts. */
	List<Throwable> failures() {
		return this.failures;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

}
