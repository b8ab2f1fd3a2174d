package io.umqtt.core.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * A broker on a free loopback port whose answers are scripted, for fault, refusal and
 * reconnection tests. Each connection's CONNECT gets what the script says for that
 * connection's number (1-based): a CONNACK with a return code ({@link #connack},
 * {@link #accepting}), exactly the test's bytes ({@link #answering}: a malformed or
 * refusing CONNACK, say), nothing ({@link #silent}), or a close
 * ({@link #closingAtConnect}). A connection that is not closed then gets the bytes of
 * {@link #sendAfterConnack} (a PUBLISH, or malformed input), and the broker goes on
 * answering as one would: SUBSCRIBE refused with 0x80, PINGREQ with PINGRESP, PUBACKs
 * recorded, DISCONNECT ends the connection, an AUTH answered as {@link #answeringAuths}
 * says.
 */
final class ScriptedBroker implements AutoCloseable {

	private static final Reply CLOSE = new Reply(new byte[0], true);

	private final ServerSocket server;

	/** The reply to the n-th connection's CONNECT; {@code null} for none. */
	private final IntFunction<Reply> onConnect;

	private final AtomicInteger connections = new AtomicInteger();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	/** Connections whose client closed its side (end of stream or reset). */
	private final Set<Socket> closedByClient = ConcurrentHashMap.newKeySet();

	/** Packet ids of the PUBACKs clients sent, in order. */
	private final List<Integer> pubAcks = new CopyOnWriteArrayList<>();

	private volatile byte[] afterConnack = new byte[0];

	/** The reason code QoS 1/2 PUBLISHes are answered with (MQTT 5), or -1 for none. */
	private volatile int publishReason = -1;

	/** The answer to a SUBSCRIBE's body, or {@code null} for a 3.1.1 SUBACK 0x80. */
	private volatile Function<byte[], byte[]> subscribeAnswer;

	/** The answer to an UNSUBSCRIBE's body, or {@code null} for none. */
	private volatile Function<byte[], byte[]> unsubscribeAnswer;

	/** The answer to an AUTH, whole, or {@code null} for none. */
	private volatile Function<byte[], byte[]> authAnswer;

	/** Every AUTH received, whole, in order. */
	private final List<byte[]> auths = new CopyOnWriteArrayList<>();

	/** Every SUBSCRIBE received, whole, in order. */
	private final List<byte[]> subscribes = new CopyOnWriteArrayList<>();

	/** Whether QoS 1 PUBLISHes wait for {@link #acknowledgeOldest()} for their PUBACK. */
	private volatile boolean holdingAcks;

	/** Packet ids of held QoS 1 PUBLISHes not acknowledged yet, oldest first. */
	private final Deque<Integer> unacked = new ConcurrentLinkedDeque<>();

	/** The most QoS 1 PUBLISHes unacknowledged at once, counted as each arrived. */
	private final AtomicInteger mostUnacked = new AtomicInteger();

	private volatile OutputStream lastOut;

	/** Every PUBLISH received, whole (fixed header included), in order. */
	private final List<byte[]> publishes = new CopyOnWriteArrayList<>();

	/** Every CONNECT received, whole (fixed header included), in order. */
	private final List<byte[]> connects = new CopyOnWriteArrayList<>();

	private final AtomicInteger pings = new AtomicInteger();

	/**
	 * Whether a connection stays open after the client's DISCONNECT, read until the
	 * client closes it.
	 */
	private volatile boolean readingPastDisconnect;

	/** The bodies of the DISCONNECTs clients sent, in order. */
	private final List<byte[]> disconnects = new CopyOnWriteArrayList<>();

	private ScriptedBroker(IntFunction<Reply> onConnect) {
		this.onConnect = onConnect;
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

	/**
	 * Answers the n-th connection's CONNECT with CONNACK {@code codes.applyAsInt(n)}; a
	 * refusal (not 0) then closes the connection.
	 */
	static ScriptedBroker connack(IntUnaryOperator codes) {
		return new ScriptedBroker((n) -> {
			int code = codes.applyAsInt(n);
			return new Reply(new byte[] { 0x20, 0x02, 0x00, (byte) code }, code != 0);
		});
	}

	/** Accepts every connection (CONNACK 0). */
	static ScriptedBroker accepting() {
		return connack((n) -> 0);
	}

	/** Answers every CONNECT with exactly {@code bytes} and keeps the connection open. */
	static ScriptedBroker answering(byte[] bytes) {
		return new ScriptedBroker((n) -> new Reply(bytes, false));
	}

	/**
	 * Answers the n-th connection's CONNECT with exactly {@code bytes.apply(n)} and keeps
	 * the connection open: a first CONNACK, then another on a reconnection.
	 */
	static ScriptedBroker answeringEach(IntFunction<byte[]> bytes) {
		return new ScriptedBroker((n) -> new Reply(bytes.apply(n), false));
	}

	/** Never answers CONNECT. */
	static ScriptedBroker silent() {
		return new ScriptedBroker((n) -> null);
	}

	/** Reads CONNECT and closes the connection without answering. */
	static ScriptedBroker closingAtConnect() {
		return new ScriptedBroker((n) -> CLOSE);
	}

	/** Bytes sent to each client right after its answer to CONNECT, e.g. a PUBLISH. */
	ScriptedBroker sendAfterConnack(byte[] bytes) {
		this.afterConnack = bytes;
		return this;
	}

	int port() {
		return this.server.getLocalPort();
	}

	int connections() {
		return this.connections.get();
	}

	/** The PUBACK packet ids received so far. */
	List<Integer> pubAcks() {
		return this.pubAcks;
	}

	/**
	 * Whether the client closed its side of every connection (end of stream or reset),
	 * and there was one.
	 */
	boolean clientClosedAll() {
		return !this.sockets.isEmpty() && this.closedByClient.containsAll(this.sockets);
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
		try {
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			this.lastOut = out;
			while (true) {
				int header = in.read();
				if (header < 0) {
					this.closedByClient.add(socket);
					return;
				}
				byte[] body = in.readNBytes(remainingLength(in));
				int type = header >> 4;
				if (type == 3) {
					this.publishes.add(whole(header, body));
					if (this.holdingAcks && ((header >> 1) & 3) == 1) {
						int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
						this.unacked.add(((body[2 + topicLength] & 0xFF) << 8) | (body[3 + topicLength] & 0xFF));
						this.mostUnacked.accumulateAndGet(this.unacked.size(), Math::max);
						continue;
					}
				}
				if (type == 1) {
					this.connects.add(whole(header, body));
					Reply reply = this.onConnect.apply(number);
					if (reply == null) {
						continue;
					}
					out.write(reply.bytes());
					if (reply.close()) {
						out.flush();
						return;
					}
					out.write(this.afterConnack);
					out.flush();
				}
				else if (type == 8) {
					this.subscribes.add(whole(header, body));
					Function<byte[], byte[]> answer = this.subscribeAnswer;
					// by default a SUBACK refusing the (single) filter
					out.write((answer != null) ? answer.apply(body)
							: new byte[] { (byte) 0x90, 0x03, body[0], body[1], (byte) 0x80 });
					out.flush();
				}
				else if (type == 10 && this.unsubscribeAnswer != null) {
					out.write(this.unsubscribeAnswer.apply(body));
					out.flush();
				}
				else if (type == 3 && this.publishReason >= 0 && ((header >> 1) & 3) > 0) {
					// MQTT 5 PUBACK or PUBREC with the scripted reason code
					int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
					int answer = (((header >> 1) & 3) == 1) ? 0x40 : 0x50;
					out.write(new byte[] { (byte) answer, 0x03, body[2 + topicLength], body[3 + topicLength],
							(byte) this.publishReason });
					out.flush();
				}
				else if (type == 6) {
					// PUBREL: PUBCOMP
					out.write(new byte[] { 0x70, 0x02, body[0], body[1] });
					out.flush();
				}
				else if (type == 4) {
					this.pubAcks.add(((body[0] & 0xFF) << 8) | (body[1] & 0xFF));
				}
				else if (type == 12) {
					this.pings.incrementAndGet();
					out.write(new byte[] { (byte) 0xD0, 0x00 });
					out.flush();
				}
				else if (type == 15) {
					byte[] auth = whole(header, body);
					this.auths.add(auth);
					Function<byte[], byte[]> answer = this.authAnswer;
					if (answer != null) {
						out.write(answer.apply(auth));
						out.flush();
					}
				}
				else if (type == 14) {
					this.disconnects.add(body);
					if (!this.readingPastDisconnect) {
						return;
					}
				}
			}
		}
		catch (IOException ex) {
			if (!socket.isClosed()) {
				// reset by the client; a socket this broker closed is closed already
				this.closedByClient.add(socket);
			}
		}
		finally {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

	/**
	 * Answers each QoS 1 PUBLISH with an MQTT 5 PUBACK, each QoS 2 one with a PUBREC, of
	 * reason code {@code reasonCode}, and each PUBREL with PUBCOMP.
	 */
	ScriptedBroker answeringPublishes(int reasonCode) {
		this.publishReason = reasonCode;
		return this;
	}

	/**
	 * Answers each SUBSCRIBE with what {@code answer} makes of its body (packet id
	 * first), e.g. an MQTT 5 SUBACK.
	 */
	ScriptedBroker answeringSubscribes(Function<byte[], byte[]> answer) {
		this.subscribeAnswer = answer;
		return this;
	}

	/** Answers each UNSUBSCRIBE with what {@code answer} makes of its body. */
	ScriptedBroker answeringUnsubscribes(Function<byte[], byte[]> answer) {
		this.unsubscribeAnswer = answer;
		return this;
	}

	/**
	 * Answers each MQTT 5 AUTH with what {@code answer} makes of it (the whole packet):
	 * another AUTH, a CONNACK, a DISCONNECT.
	 */
	ScriptedBroker answeringAuths(Function<byte[], byte[]> answer) {
		this.authAnswer = answer;
		return this;
	}

	/**
	 * After a client's DISCONNECT the broker goes on reading rather than close the
	 * connection, so that {@link #clientClosedAll()} tells whether the client closed it.
	 */
	ScriptedBroker readingPastDisconnect() {
		this.readingPastDisconnect = true;
		return this;
	}

	/** The AUTH packets received, whole, in order. */
	List<byte[]> auths() {
		return this.auths;
	}

	/** The SUBSCRIBE packets received, whole, in order. */
	List<byte[]> subscribes() {
		return this.subscribes;
	}

	/**
	 * QoS 1 PUBLISHes get their PUBACK only from {@link #acknowledgeOldest()}, so that
	 * what a client has unacknowledged on the wire can be counted.
	 */
	ScriptedBroker holdingAcks() {
		this.holdingAcks = true;
		return this;
	}

	/** Sends the PUBACK of the oldest held PUBLISH; false when none is held. */
	boolean acknowledgeOldest() throws IOException {
		Integer id = this.unacked.poll();
		if (id == null) {
			return false;
		}
		OutputStream out = this.lastOut;
		synchronized (out) {
			out.write(new byte[] { 0x40, 0x02, (byte) (id >> 8), (byte) (int) id });
			out.flush();
		}
		return true;
	}

	/** The most QoS 1 PUBLISHes that were unacknowledged at once. */
	int mostUnacked() {
		return this.mostUnacked.get();
	}

	/** The PUBLISH packets received, whole, in order. */
	List<byte[]> publishes() {
		return this.publishes;
	}

	/** The CONNECT packets received, whole, in order. */
	List<byte[]> connects() {
		return this.connects;
	}

	/** The bodies (reason code and properties) of the DISCONNECTs clients sent. */
	List<byte[]> disconnects() {
		return this.disconnects;
	}

	/** How many PINGREQs clients sent. */
	int pings() {
		return this.pings.get();
	}

	private static byte[] whole(int header, byte[] body) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length + 5);
		out.write(header);
		int length = body.length;
		do {
			int digit = length % 128;
			length /= 128;
			out.write((length > 0) ? (digit | 0x80) : digit);
		}
		while (length > 0);
		out.writeBytes(body);
		return out.toByteArray();
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

	/** What a CONNECT is answered with, and whether the connection then closes. */
	private record Reply(byte[] bytes, boolean close) {
	}

}
