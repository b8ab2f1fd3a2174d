package io.umqtt.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free loopback port in front of a broker, for fault tests: it forwards
 * bytes both ways until told to black-hole them (the link looks up but nothing gets
 * through, as with a dead network path), to cut every connection, or to refuse new ones.
 * <p>
 * Each connection uses two threads; everything is closed by {@link #close()}.
 */
public final class TcpProxy implements AutoCloseable {

	private final String targetHost;

	private final int targetPort;

	private final ServerSocket server;

	private final Thread acceptor;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	private volatile boolean blackHole;

	private volatile boolean refusing;

	private volatile boolean closed;

	/**
	 * Starts a proxy to {@code targetHost:targetPort}.
	 * @param targetHost where to forward to
	 * @param targetPort its port
	 */
	public TcpProxy(String targetHost, int targetPort) {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		try {
			this.server = new ServerSocket();
			this.server.setReuseAddress(true);
			this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.acceptor = new Thread(this::accept, "tcp-proxy-accept-" + port());
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	/** A proxy in front of {@code broker}'s plain port. */
	public static TcpProxy to(MqttBroker broker) {
		return new TcpProxy(broker.host(), broker.port());
	}

	/** The port clients connect to. */
	public int port() {
		return this.server.getLocalPort();
	}

	/** Drops every byte from now on, in both directions, without closing anything. */
	public void blackHole() {
		this.blackHole = true;
	}

	/** Forwards bytes again (connections made while black-holed stay useless). */
	public void heal() {
		this.blackHole = false;
		this.refusing = false;
	}

	/** Closes every connection now; new ones are still accepted. */
	public void cutAll() {
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
		this.sockets.clear();
	}

	/** Accepts connections and closes them at once, until {@link #heal()}. */
	public void refuse() {
		this.refusing = true;
		cutAll();
	}

	/** How many connections are open through the proxy. */
	public int openConnections() {
		return this.sockets.size() / 2;
	}

	private void accept() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			if (this.refusing) {
				closeQuietly(client);
				continue;
			}
			Socket upstream;
			try {
				upstream = new Socket(this.targetHost, this.targetPort);
				upstream.setTcpNoDelay(true);
				client.setTcpNoDelay(true);
			}
			catch (IOException ex) {
				closeQuietly(client);
				continue;
			}
			this.sockets.add(client);
			this.sockets.add(upstream);
			pump(client, upstream, "up");
			pump(upstream, client, "down");
		}
	}

	private void pump(Socket from, Socket to, String direction) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					if (!this.blackHole) {
						out.write(buffer, 0, read);
						out.flush();
					}
				}
			}
			catch (SocketException ex) {
				// the other side or cutAll() closed it
			}
			catch (IOException ex) {
				// connection ended
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		}, "tcp-proxy-" + direction + "-" + port());
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway; nothing else to do with a socket that cannot close
		}
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		cutAll();
		for (Thread thread : this.threads) {
			try {
				thread.join(2_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
