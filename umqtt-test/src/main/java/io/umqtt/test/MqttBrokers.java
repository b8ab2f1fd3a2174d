package io.umqtt.test;

import java.util.Optional;

/**
 * Starts test brokers without the JUnit extension, for tests and benchmarks that manage
 * the broker's life themselves.
 */
public final class MqttBrokers {

	private MqttBrokers() {
	}

	/**
	 * System property that makes {@link BrokerKind#AUTO} mean one kind, e.g.
	 * {@code mosquitto} or {@code embedded}.
	 */
	public static final String AUTO_PROPERTY = "umqtt.test.broker";

	/**
	 * The kind {@link BrokerKind#AUTO} stands for on this machine: what the
	 * {@value #AUTO_PROPERTY} system property names, else Mosquitto when installed, else
	 * the embedded broker.
	 * @param kind the kind asked for
	 * @return the kind to start
	 */
	public static BrokerKind resolve(BrokerKind kind) {
		if (kind != BrokerKind.AUTO) {
			return kind;
		}
		String forced = System.getProperty(AUTO_PROPERTY, "").trim();
		if (!forced.isEmpty()) {
			return BrokerKind.valueOf(forced.toUpperCase(java.util.Locale.ROOT));
		}
		return MosquittoBroker.isInstalled() ? BrokerKind.MOSQUITTO : BrokerKind.EMBEDDED;
	}

	/**
	 * Why a broker of {@code kind} cannot run on this machine, if it cannot.
	 * @param kind the kind asked for
	 * @return the reason, or empty when it can run
	 */
	public static Optional<String> unavailable(BrokerKind kind) {
		return switch (resolve(kind)) {
			case MOSQUITTO -> MosquittoBroker.isInstalled() ? Optional.empty()
					: Optional.of("this test needs Mosquitto, which is not installed ('apt-get install mosquitto')");
			case TESTCONTAINERS -> testcontainersUnavailable();
			case RABBITMQ -> RabbitMqBroker.isInstalled() ? Optional.empty() : Optional
				.of("this test needs RabbitMQ, which is not installed ('apt-get install rabbitmq-server')");
			case NATS -> NatsBroker.isInstalled() ? Optional.empty() : Optional
				.of("this test needs nats-server, which is not installed ('apt-get install nats-server')");
			case HIVEMQ -> HiveMqBroker.isAvailable() ? Optional.empty() : Optional
				.of("this test needs com.hivemq:hivemq-community-edition-embedded on the test class path");
			case AEDES -> AedesBroker.unavailableReason();
			case EMBEDDED, AUTO -> Optional.empty();
		};
	}

	/**
	 * Environment variable that, set to {@code true}, makes a missing broker fail rather
	 * than skip.
	 */
	public static final String CI_VARIABLE = "CI";

	/**
	 * Whether this run is a CI run ({@code CI=true}), where a broker the build installs
	 * must be there: its absence fails the tests instead of skipping them, so the matrix
	 * cannot shrink unnoticed.
	 * @return whether missing brokers fail
	 */
	public static boolean missingBrokerFails() {
		return "true".equalsIgnoreCase(System.getenv(CI_VARIABLE));
	}

	/**
	 * Why a broker of {@code kind} cannot run here, as a test outcome: empty when it can,
	 * the reason to skip when it cannot on a developer's machine.
	 * @param kind the kind asked for
	 * @return the reason to skip, or empty
	 * @throws IllegalStateException in a CI run ({@link #missingBrokerFails()}) when a
	 * broker CI requires ({@link BrokerKind#requiredInCi()}) cannot run
	 */
	public static Optional<String> skipReason(BrokerKind kind) {
		Optional<String> reason = unavailable(kind);
		if (reason.isPresent() && missingBrokerFails() && resolve(kind).requiredInCi()) {
			throw new IllegalStateException("CI=true and the " + resolve(kind) + " broker cannot run: " + reason.get()
					+ " (.ci/run installs it)");
		}
		return reason;
	}

	private static Optional<String> testcontainersUnavailable() {
		try {
			Class.forName("org.testcontainers.DockerClientFactory", false, MqttBrokers.class.getClassLoader());
		}
		catch (ClassNotFoundException ex) {
			return Optional.of("this test needs Testcontainers on the test class path");
		}
		return ContainerBroker.isDockerAvailable() ? Optional.empty()
				: Optional.of("this test needs a Docker engine for Testcontainers, and none is reachable");
	}

	/**
	 * Creates and starts a broker.
	 * @param kind which broker
	 * @param options how to set it up
	 * @return the running broker; close it when done
	 * @throws IllegalStateException when that kind cannot run here
	 */
	public static MqttBroker start(BrokerKind kind, BrokerOptions options) {
		unavailable(kind).ifPresent((reason) -> {
			throw new IllegalStateException("Cannot start a " + kind + " broker: " + reason);
		});
		MqttBroker broker = switch (resolve(kind)) {
			case MOSQUITTO -> new MosquittoBroker(options);
			case EMBEDDED -> new EmbeddedBroker(options);
			case TESTCONTAINERS -> new ContainerBroker(options);
			case RABBITMQ -> new RabbitMqBroker(options);
			case NATS -> new NatsBroker(options);
			case HIVEMQ -> new HiveMqBroker(options);
			case AEDES -> new AedesBroker(options);
			case AUTO -> throw new IllegalStateException("AUTO was resolved above");
		};
		try {
			broker.start();
			return broker;
		}
		catch (RuntimeException ex) {
			broker.close();
			throw ex;
		}
	}

}
