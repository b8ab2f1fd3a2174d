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

/**
 * A misbehaving broker for fault tests: it accepts on a free loopback port, reads the client's
 * CONNECT, then answers with whatever bytes the test scripted, and keeps the connection open
 * until closed.
 */
final class FakeBroker implements AutoCloseable {

	/** What the fake broker sends after reading CONNECT; {@code null} sends nothing. */
	private final byte[] reply;

	private final boolean answerConnect;

	private final boolean closeAfterConnect;

	private final ServerSocket server;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private final Thread acceptor;

	FakeBroker(byte[] reply, boolean answerConnect) {
		this(reply, answerConnect, false);
	}

	FakeBroker(byte[] reply, boolean answerConnect, boolean closeAfterConnect) {
		this.reply = reply;
		this.answerConnect = answerConnect;
		this.closeAfterConnect = closeAfterConnect;
		try {
			this.server = new ServerSocket();
			this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.acceptor = new Thread(this::serve, "fake-broker");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	/** Never answers CONNECT. */
	static FakeBroker silent() {
		return new FakeBroker(null, false);
	}

	/** Accepts the connection (CONNACK 0), then sends {@code bytes}. */
	static FakeBroker acceptingThenSending(byte[] bytes) {
		return new FakeBroker(bytes, true);
	}

	/** Accepts, reads CONNECT, and closes the connection without answering. */
	static FakeBroker closing() {
		return new FakeBroker(null, false, true);
	}

	/** Answers CONNECT with exactly {@code bytes} (e.g. a refusing or malformed CONNACK). */
	static FakeBroker answering(byte[] bytes) {
		return new FakeBroker(bytes, false);
	}

	int port() {
		return this.server.getLocalPort();
	}

	private void serve() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.accepted.add(socket);
				InputStream in = socket.getInputStream();
				OutputStream out = socket.getOutputStream();
				readPacket(in);
				if (this.closeAfterConnect) {
					socket.close();
					continue;
				}
				if (this.answerConnect) {
					out.write(new byte[] { 0x20, 0x02, 0x00, 0x00 });
				}
				if (this.reply != null) {
					out.write(this.reply);
				}
				out.flush();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private static void readPacket(InputStream in) throws IOException {
		in.read();
		in.readNBytes(ScriptedBroker.remainingLength(in));
	}

	/** Whether the client closed its side of every connection (a read returns end of stream). */
	boolean clientClosedAll() {
		for (Socket socket : this.accepted) {
			try {
				socket.setSoTimeout(100);
				if (socket.getInputStream().read() != -1) {
					return false;
				}
			}
			catch (java.net.SocketTimeoutException ex) {
				return false;
			}
			catch (IOException ex) {
				// reset: closed
			}
		}
		return !this.accepted.isEmpty();
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.accepted) {
			socket.close();
		}
	}

}
