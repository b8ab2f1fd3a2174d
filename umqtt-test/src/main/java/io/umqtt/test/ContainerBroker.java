package io.umqtt.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The {@code eclipse-mosquitto} image run through Testcontainers, its MQTT port bound to
 * a fixed free port on 127.0.0.1 so that it keeps its address across {@link #stop()} and
 * {@link #start()}. Persisted state lives in the container's file system, which survives
 * a stop or a kill of the container.
 */
public final class ContainerBroker implements MqttBroker {

	/**
	 * The image used, overridable with the {@code umqtt.test.mosquitto-image} system
	 * property.
	 */
	public static final String DEFAULT_IMAGE = "eclipse-mosquitto:2.0.20";

	private final BrokerOptions options;

	private final Path directory;

	private final int port;

	private final int tlsPort;

	private final TlsMaterial tls;

	private final GenericContainer<?> container;

	private boolean created;

	private boolean running;

	/**
	 * Prepares a container; {@link #start()} runs it.
	 * @param options how to set the broker up
	 */
	@SuppressWarnings("resource")
	public ContainerBroker(BrokerOptions options) {
		this.options = Objects.requireNonNull(options, "options");
		try {
			this.directory = Files.createTempDirectory("umqtt-container-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.port = FreePort.find();
		this.tlsPort = options.tls() ? FreePort.find() : -1;
		this.tls = options.tls() ? TlsMaterial.generate(this.directory.resolve("tls")) : null;
		String image = System.getProperty("umqtt.test.mosquitto-image", DEFAULT_IMAGE);
		GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image));
		StringBuilder conf = new StringBuilder("persistence true\npersistence_location /mosquitto/data/\n")
			.append("log_dest stdout\nmax_queued_messages 0\nmax_inflight_messages 1000\n")
			.append("allow_zero_length_clientid true\nper_listener_settings false\nlistener 1883\n");
		String command = "exec mosquitto -c /mosquitto/config/mosquitto.conf";
		if (options.authenticated()) {
			conf.append("allow_anonymous false\npassword_file /mosquitto/config/passwd\n");
			command = "touch /mosquitto/config/passwd && chmod 0700 /mosquitto/config/passwd"
					+ " && mosquitto_passwd -b /mosquitto/config/passwd \"$UMQTT_USER\" \"$UMQTT_PASSWORD\" && "
					+ command;
			container.withEnv("UMQTT_USER", options.username())
				.withEnv("UMQTT_PASSWORD", Objects.toString(options.password(), ""));
		}
		else {
			conf.append("allow_anonymous true\n");
		}
		container.setPortBindings(List.of(this.port + ":1883"));
		container.addExposedPort(1883);
		if (this.tls != null) {
			conf.append("listener 8883\ncafile /mosquitto/config/ca.crt\ncertfile /mosquitto/config/server.crt\n")
				.append("keyfile /mosquitto/config/server.key\nrequire_certificate ")
				.append(options.requireClientCertificate())
				.append('\n');
			container.withCopyFileToContainer(MountableFile.forHostPath(this.tls.caCertificate()),
					"/mosquitto/config/ca.crt");
			container.withCopyFileToContainer(MountableFile.forHostPath(this.tls.serverCertificate()),
					"/mosquitto/config/server.crt");
			container.withCopyFileToContainer(MountableFile.forHostPath(this.tls.serverKey(), 0644),
					"/mosquitto/config/server.key");
			container.setPortBindings(List.of(this.port + ":1883", this.tlsPort + ":8883"));
			container.addExposedPort(8883);
		}
		try {
			Path file = this.directory.resolve("mosquitto.conf");
			Files.writeString(file, conf);
			container.withCopyFileToContainer(MountableFile.forHostPath(file), "/mosquitto/config/mosquitto.conf");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		container.withCommand("sh", "-c", command);
		container.withStartupTimeout(Duration.ofSeconds(60));
		this.container = container;
	}

	/** Whether a Docker engine can be reached from this JVM. */
	public static boolean isDockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	@Override
	public BrokerKind kind() {
		return BrokerKind.TESTCONTAINERS;
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public int tlsPort() {
		return this.tlsPort;
	}

	@Override
	public BrokerOptions options() {
		return this.options;
	}

	@Override
	public TlsMaterial tlsMaterial() {
		return this.tls;
	}

	@Override
	public Path dataDirectory() {
		return this.directory;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		if (!this.created) {
			this.container.start();
			this.created = true;
		}
		else {
			DockerClientFactory.instance().client().startContainerCmd(this.container.getContainerId()).exec();
		}
		if (!FreePort.await(Duration.ofSeconds(30), () -> FreePort.isListening(this.port))) {
			throw new IllegalStateException("The Mosquitto container did not listen on 127.0.0.1:" + this.port);
		}
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		if (this.running) {
			DockerClientFactory.instance().client().stopContainerCmd(this.container.getContainerId()).exec();
			this.running = false;
		}
	}

	@Override
	public synchronized void kill() {
		if (this.running) {
			DockerClientFactory.instance().client().killContainerCmd(this.container.getContainerId()).exec();
			this.running = false;
		}
	}

	/**
	 * Sends SIGUSR1 to Mosquitto in the container and waits until its database file
	 * inside the container has changed.
	 */
	@Override
	public synchronized void save() {
		if (this.running) {
			DockerClientFactory.instance()
				.client()
				.killContainerCmd(this.container.getContainerId())
				.withSignal("SIGUSR1")
				.exec();
			String before = databaseVersion();
			if (!FreePort.await(Duration.ofSeconds(20), () -> !Objects.equals(before, databaseVersion()))) {
				throw new IllegalStateException("Mosquitto in the container did not save its state within 20 s");
			}
		}
	}

	private String databaseVersion() {
		try {
			return this.container.execInContainer("stat", "-c", "%i %Y %s", "/mosquitto/data/mosquitto.db").getStdout();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	@Override
	public String log() {
		return this.created ? this.container.getLogs() : "";
	}

	@Override
	public synchronized void close() {
		this.container.stop();
		this.running = false;
		DataDirectories.delete(this.directory);
	}

}
