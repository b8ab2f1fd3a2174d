package io.umqtt.core.netty;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;

/**
 * The event loops clients run on: epoll where the native transport is present and works,
 * NIO elsewhere. Clients that are not given a group share one, started with the first
 * client that connects and stopped when the last one is disconnected, so no umqtt thread
 * outlives its clients.
 */
public final class Transport {

	private static final boolean EPOLL = epollAvailable();

	private static EventLoopGroup shared;

	private static int users;

	private Transport() {
	}

	private static boolean epollAvailable() {
		if (Boolean.getBoolean("umqtt.transport.nio")) {
			return false;
		}
		try {
			Class.forName("io.netty.channel.epoll.Epoll");
			return io.netty.channel.epoll.Epoll.isAvailable();
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/** Whether clients use the native epoll transport. */
	public static boolean isEpoll() {
		return EPOLL;
	}

	/**
	 * Takes a reference to the shared event loop group, starting it when it is not
	 * running.
	 * @return the group
	 */
	public static synchronized EventLoopGroup acquireShared() {
		if (shared == null || shared.isShuttingDown()) {
			int threads = Integer.getInteger("umqtt.transport.threads", Runtime.getRuntime().availableProcessors());
			shared = newGroup(threads, "umqtt-io");
		}
		users++;
		return shared;
	}

	/**
	 * Gives back a reference taken with {@link #acquireShared()}; the last one stops the
	 * group.
	 * @return a future that completes when the group's threads have ended, or null when
	 * other clients still use it
	 */
	public static synchronized Future<?> releaseShared() {
		if (users == 0) {
			return null;
		}
		users--;
		if (users == 0 && shared != null) {
			Future<?> termination = shared.shutdownGracefully(0, 1, TimeUnit.SECONDS);
			shared = null;
			return termination;
		}
		return null;
	}

	/**
	 * A new event loop group of the best available transport.
	 * @param threads how many event loops
	 * @param name thread name prefix
	 * @return the group; its owner shuts it down
	 */
	public static EventLoopGroup newGroup(int threads, String name) {
		IoHandlerFactory factory = EPOLL ? io.netty.channel.epoll.EpollIoHandler.newFactory()
				: NioIoHandler.newFactory();
		return new MultiThreadIoEventLoopGroup(threads, daemonThreads(name), factory);
	}

	/**
	 * The socket channel class for a group made here.
	 * @return epoll or NIO socket channel
	 */
	public static Class<? extends SocketChannel> channelType() {
		return EPOLL ? io.netty.channel.epoll.EpollSocketChannel.class : NioSocketChannel.class;
	}

	/**
	 * The server socket channel class for a group made here (test and benchmark brokers).
	 * @return epoll or NIO server socket channel
	 */
	public static Class<? extends io.netty.channel.socket.ServerSocketChannel> serverChannelType() {
		return EPOLL ? io.netty.channel.epoll.EpollServerSocketChannel.class
				: io.netty.channel.socket.nio.NioServerSocketChannel.class;
	}

	private static ThreadFactory daemonThreads(String name) {
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
