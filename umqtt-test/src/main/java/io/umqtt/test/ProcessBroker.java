package io.umqtt.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A broker run as a child process on free 127.0.0.1 ports, configured from files
 * generated in a temporary directory, and stopped by its process id: SIGTERM for
 * {@link #stop()}, SIGKILL for {@link #kill()}. Subclasses say how to launch it and what
 * to delete after a kill.
 * <p>
 * These brokers serve anonymous clients without TLS; options asking for more are refused
 * when the broker is created.
 */
abstract class ProcessBroker implements MqttBroker {

	private final BrokerOptions options;

	private final Path directory;

	private final int port;

	private Process process;

	ProcessBroker(BrokerOptions options, String name) {
		this.options = Objects.requireNonNull(options, "options");
		if (options.authenticated() || options.tls()) {
			throw new IllegalArgumentException(
					"The " + name + " test broker serves anonymous clients without TLS only; asked for " + options);
		}
		try {
			this.directory = Files.createTempDirectory("umqtt-" + name.toLowerCase(java.util.Locale.ROOT) + "-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.port = FreePort.find();
	}

	/** The command line that runs the broker in the foreground. */
	abstract List<String> command();

	/** Environment variables to set for the broker's process. */
	Map<String, String> environment() {
		return Map.of();
	}

	/** How long the broker may take to listen on its MQTT port. */
	Duration startTimeout() {
		return Duration.ofSeconds(30);
	}

	/** Called before each start, for processes the broker needs beside itself. */
	void beforeStart() {
	}

	/** Called after the broker's process has ended. */
	void afterExit() {
	}

	/** The broker's log files, in the data directory, besides its standard output. */
	List<String> logFiles() {
		return List.of();
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public int tlsPort() {
		return -1;
	}

	@Override
	public BrokerOptions options() {
		return this.options;
	}

	@Override
	public TlsMaterial tlsMaterial() {
		return null;
	}

	@Override
	public Path dataDirectory() {
		return this.directory;
	}

	/** The process id of the running broker, or -1. */
	synchronized long pid() {
		return (this.process != null && this.process.isAlive()) ? this.process.pid() : -1;
	}

	@Override
	public synchronized void start() {
		if (isRunning()) {
			return;
		}
		beforeStart();
		ProcessBuilder builder = new ProcessBuilder(command()).directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.PIPE)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("stdout.log").toFile()));
		builder.environment().putAll(environment());
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			afterExit();
			throw new UncheckedIOException("Could not start " + command().get(0), ex);
		}
		ChildProcesses.register(this.process);
		Process started = this.process;
		boolean up = FreePort.await(startTimeout(), () -> !started.isAlive() || FreePort.isListening(this.port));
		if (!up || !started.isAlive()) {
			String log = log();
			kill();
			throw new IllegalStateException(kind() + " did not start on 127.0.0.1:" + this.port + " within "
					+ startTimeout().toSeconds() + " s\n" + log);
		}
	}

	@Override
	public synchronized void stop() {
		end(false);
	}

	@Override
	public synchronized void kill() {
		end(true);
	}

	private void end(boolean kill) {
		if (this.process != null) {
			ChildProcesses.end(this.process, kill, Duration.ofSeconds(30));
			this.process = null;
			afterExit();
		}
	}

	/**
	 * These brokers write what they acknowledge as they go; there is nothing to flush.
	 */
	@Override
	public void save() {
		if (!isRunning()) {
			throw new IllegalStateException(kind() + " is not running");
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	@Override
	public String log() {
		StringBuilder text = new StringBuilder();
		for (String name : concat(logFiles(), "stdout.log")) {
			Path file = this.directory.resolve(name);
			if (Files.exists(file)) {
				try {
					List<String> lines = Files.readAllLines(file);
					text.append("--- ").append(name).append(" (last 40 lines)\n");
					lines.subList(Math.max(0, lines.size() - 40), lines.size())
						.forEach((line) -> text.append(line).append('\n'));
				}
				catch (IOException | UncheckedIOException ex) {
					text.append("--- ").append(name).append(": unreadable: ").append(ex).append('\n');
				}
			}
		}
		return text.toString();
	}

	private static List<String> concat(List<String> first, String last) {
		List<String> all = new java.util.ArrayList<>(first);
		all.add(last);
		return all;
	}

	@Override
	public synchronized void close() {
		kill();
		DataDirectories.delete(this.directory);
	}

	void write(String file, String content) {
		try {
			Files.writeString(this.directory.resolve(file), content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public String toString() {
		return kind() + "[127.0.0.1:" + this.port + ", pid " + pid() + "]";
	}

	/**
	 * The first executable among {@code candidates}, searching the PATH for bare names.
	 */
	static java.util.Optional<Path> findExecutable(String envVariable, String name, String... fixed) {
		List<Path> candidates = new java.util.ArrayList<>();
		String explicit = System.getenv(envVariable);
		if (explicit != null && !explicit.isBlank()) {
			candidates.add(Path.of(explicit));
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(java.io.File.pathSeparator)) {
				if (!dir.isEmpty()) {
					candidates.add(Path.of(dir, name));
				}
			}
		}
		for (String candidate : fixed) {
			candidates.add(Path.of(candidate));
		}
		return candidates.stream().filter(Files::isExecutable).findFirst();
	}

}
