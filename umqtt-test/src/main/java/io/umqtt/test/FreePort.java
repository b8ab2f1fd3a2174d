package io.umqtt.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Loopback port helpers for brokers started by tests.
 */
public final class FreePort {

	private FreePort() {
	}

	/**
	 * A TCP port on 127.0.0.1 that was free a moment ago.
	 * @return the port number
	 */
	public static int find() {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(false);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free loopback port", ex);
		}
	}

	/**
	 * Whether something accepts TCP connections on 127.0.0.1:{@code port}.
	 * @param port the port
	 * @return true when a connection was accepted
	 */
	public static boolean isListening(int port) {
		return isListening(InetAddress.getLoopbackAddress(), port);
	}

	/**
	 * Whether something accepts TCP connections on {@code address}:{@code port}.
	 * @param address a loopback address
	 * @param port the port
	 * @return true when a connection was accepted
	 */
	public static boolean isListening(InetAddress address, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Polls {@code condition} every 20 ms until it holds or {@code timeout} passes.
	 * @param timeout how long to wait at most
	 * @param condition what to wait for
	 * @return whether the condition held in time
	 */
	static boolean await(Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			if (condition.getAsBoolean()) {
				return true;
			}
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
		}
	}

}
