package io.umqtt.test;

import java.nio.file.Path;

/**
 * A broker started for a test, listening on loopback.
 * <p>
 * {@link #stop()}, {@link #kill()} and {@link #start()} let a test break the broker and
 * bring it back on the same port; persisted state (sessions of clients that connected
 * with clean session false, retained messages, queued messages) survives a {@code stop()}
 * and what was saved survives a {@code kill()}.
 */
public interface MqttBroker extends AutoCloseable {

	/** The kind of broker actually running (never {@link BrokerKind#AUTO}). */
	BrokerKind kind();

	/** The address the broker listens on, {@code 127.0.0.1}. */
	default String host() {
		return "127.0.0.1";
	}

	/** The plain MQTT port. */
	int port();

	/** The TLS port, or -1 when the broker has no TLS listener. */
	int tlsPort();

	/** {@code tcp://host:port}. */
	default String uri() {
		return "tcp://" + host() + ":" + port();
	}

	/** How the broker was set up (user name, password, TLS). */
	BrokerOptions options();

	/** The generated certificates, or {@code null} without TLS. */
	TlsMaterial tlsMaterial();

	/** Where the broker keeps its persisted state and its log. */
	Path dataDirectory();

	/**
	 * Starts the broker again on the same port with its persisted state; no-op when
	 * running.
	 */
	void start();

	/** Stops the broker gracefully (SIGTERM for Mosquitto); it saves its state first. */
	void stop();

	/**
	 * Stops the broker without warning (SIGKILL for Mosquitto). State not yet saved is
	 * lost, as it would be on a crash. The embedded broker cannot be killed apart from
	 * the test JVM; there this closes every connection and stops it without a goodbye to
	 * clients.
	 */
	void kill();

	/**
	 * Makes the broker write its state to disk now and returns when it has (SIGUSR1 for
	 * Mosquitto). A {@code save()} followed by {@code kill()} loses nothing the broker
	 * had acknowledged before the save.
	 */
	void save();

	/** Whether the broker is running. */
	boolean isRunning();

	/** The broker's recent log lines, for failure messages. */
	String log();

	/** Stops the broker and deletes its data directory. */
	@Override
	void close();

}
