package io.umqtt.spring.boot.autoconfigure.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Properties;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * An MQTT broker (Moquette) inside the application on 127.0.0.1, started when no
 * {@code umqtt.server} is configured and Moquette is on the class path, as Spring Boot
 * starts an embedded database. It keeps state in memory only, accepts anonymous clients,
 * and stops with the application context. Configuring {@code umqtt.server} (or
 * {@code umqtt.embedded.enabled=false}) turns it off. It is meant for development and
 * tests: started anywhere but under a test framework, it says so at WARN.
 */
public class EmbeddedMqttBroker {

	private static final Log logger = LogFactory.getLog(EmbeddedMqttBroker.class);

	/**
	 * Stack frames that say a test framework runs this, as Spring Boot's devtools decide
	 * it.
	 */
	private static final List<String> TEST_FRAMEWORKS = List.of("org.junit.runners.", "org.junit.platform.",
			"org.springframework.boot.test.", "org.testng.", "cucumber.runtime.", "io.cucumber.");

	private final int port;

	private Server server;

	/**
	 * Creates a new {@code EmbeddedMqttBroker}.
	 * @param port the port, 0 for a free one
	 */
	public EmbeddedMqttBroker(int port) {
		this.port = (port != 0) ? port : freePort();
	}

	/** Starts it; called by the context. */
	public synchronized void start() {
		if (this.server != null) {
			return;
		}
		Properties config = new Properties();
		config.setProperty("host", "127.0.0.1");
		config.setProperty("port", Integer.toString(this.port));
		config.setProperty("websocket_port", "disabled");
		config.setProperty("persistence_enabled", "false");
		config.setProperty("allow_anonymous", "true");
		config.setProperty("allow_zero_byte_client_id", "true");
		config.setProperty("telemetry_enabled", "false");
		config.setProperty("netty.epoll", "false");
		config.setProperty("immediate_buffer_flush", "true");
		config.setProperty("session_queue_size", "262144");
		config.setProperty("netty.mqtt.message_size", Integer.toString(268_435_455));
		Server started = new Server();
		try {
			started.startServer(new MemoryConfig(config));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded MQTT broker on 127.0.0.1:" + this.port, ex);
		}
		this.server = started;
		String message = "Embedded MQTT broker started on 127.0.0.1:" + this.port;
		if (startedByTestFramework()) {
			logger.info(message + " (set umqtt.server to use an external broker)");
		}
		else {
			logger.warn(message + ": for development only, it accepts anonymous clients and keeps nothing;"
					+ " set umqtt.server to use a real broker (or umqtt.embedded.enabled=false)");
		}
	}

	/** Stops it; called by the context. */
	public synchronized void stop() {
		if (this.server != null) {
			this.server.stopServer();
			this.server = null;
		}
	}

	/** The host clients connect to. */
	public String getHost() {
		return "127.0.0.1";
	}

	/** The port it listens on. */
	public int getPort() {
		return this.port;
	}

	public synchronized boolean isRunning() {
		return this.server != null;
	}

	static boolean startedByTestFramework() {
		return StackWalker.getInstance()
			.walk((frames) -> frames.anyMatch(
					(frame) -> TEST_FRAMEWORKS.stream().anyMatch((prefix) -> frame.getClassName().startsWith(prefix))));
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port for the embedded MQTT broker", ex);
		}
	}

}
