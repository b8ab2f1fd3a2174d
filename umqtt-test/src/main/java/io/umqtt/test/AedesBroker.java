package io.umqtt.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Aedes, the Node.js broker, run as a child process on a free 127.0.0.1 port by the small
 * server script {@code server.mjs} beside its {@code package.json} (in this repository
 * {@code umqtt-test/aedes}, installed with {@code npm ci}). Its state is kept in memory,
 * so a stop or kill loses every session and retained message.
 */
public final class AedesBroker extends ProcessBroker {

	/**
	 * System property naming the directory holding {@code server.mjs} and its
	 * {@code node_modules}.
	 */
	public static final String HOME_PROPERTY = "umqtt.test.aedes.home";

	private final Path node;

	private final Path home;

	/**
	 * Prepares a broker; {@link #start()} launches it.
	 * @param options how to set it up (anonymous, no TLS)
	 * @throws IllegalStateException when Node or the Aedes script is not installed
	 */
	public AedesBroker(BrokerOptions options) {
		super(options, "Aedes");
		this.node = nodeExecutable().orElseThrow(() -> new IllegalStateException(unavailableReason().orElseThrow()));
		this.home = home().orElseThrow(() -> new IllegalStateException(unavailableReason().orElseThrow()));
	}

	static Optional<Path> nodeExecutable() {
		return findExecutable("NODE", "node", "/usr/bin/node", "/usr/local/bin/node");
	}

	/**
	 * The directory with {@code server.mjs} and an installed {@code node_modules/aedes}:
	 * the {@value #HOME_PROPERTY} system property, {@code $UMQTT_AEDES_HOME}, else
	 * {@code umqtt-test/aedes} in the working directory or one of its parents.
	 * @return the directory, or empty
	 */
	public static Optional<Path> home() {
		List<Path> candidates = new java.util.ArrayList<>();
		String property = System.getProperty(HOME_PROPERTY, "");
		if (!property.isBlank()) {
			candidates.add(Path.of(property));
		}
		String env = System.getenv("UMQTT_AEDES_HOME");
		if (env != null && !env.isBlank()) {
			candidates.add(Path.of(env));
		}
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			candidates.add(dir.resolve("umqtt-test").resolve("aedes"));
		}
		return candidates.stream()
			.filter((dir) -> Files.isRegularFile(dir.resolve("server.mjs"))
					&& Files.isRegularFile(dir.resolve("node_modules/aedes/package.json")))
			.findFirst();
	}

	/**
	 * Why Aedes cannot run here, if it cannot.
	 * @return the reason, or empty
	 */
	public static Optional<String> unavailableReason() {
		if (nodeExecutable().isEmpty()) {
			return Optional.of("Aedes needs Node.js, which is not installed ('apt-get install nodejs')");
		}
		if (home().isEmpty()) {
			return Optional.of("Aedes is not installed: run 'npm ci' in umqtt-test/aedes, or set the system property "
					+ HOME_PROPERTY + " to a directory holding server.mjs and node_modules/aedes");
		}
		return Optional.empty();
	}

	@Override
	List<String> command() {
		return List.of(this.node.toString(), this.home.resolve("server.mjs").toString(), Integer.toString(port()));
	}

	@Override
	public BrokerKind kind() {
		return BrokerKind.AEDES;
	}

}
