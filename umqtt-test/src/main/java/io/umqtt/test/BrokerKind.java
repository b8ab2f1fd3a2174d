package io.umqtt.test;

/**
 * Which broker {@link MqttBrokerExtension} starts for a test.
 */
public enum BrokerKind {

	/**
	 * Mosquitto when its binary is installed, otherwise the embedded broker. Tests
	 * written for this kind pass on any machine.
	 */
	AUTO,

	/**
	 * The {@code mosquitto} binary, started on a free loopback port with a generated
	 * configuration. Tests that ask for it are skipped, saying so, where it is not
	 * installed.
	 */
	MOSQUITTO,

	/**
	 * Moquette, embedded in the test JVM. Needs nothing installed.
	 */
	EMBEDDED,

	/**
	 * The {@code eclipse-mosquitto} image through Testcontainers. Tests that ask for it
	 * are skipped where no Docker engine is reachable.
	 */
	TESTCONTAINERS,

	/**
	 * RabbitMQ with its MQTT plugin (Debian package {@code rabbitmq-server}), a node of
	 * its own with its own ports, name and data directory. Skipped where it is not
	 * installed.
	 */
	RABBITMQ,

	/**
	 * NATS server with MQTT and JetStream enabled (Debian package {@code nats-server}).
	 * Skipped where it is not installed.
	 */
	NATS,

	/**
	 * HiveMQ Community Edition embedded in the test JVM; needs
	 * {@code com.hivemq:hivemq-community-edition-embedded} on the test class path.
	 */
	HIVEMQ,

	/**
	 * Aedes on Node.js, run by {@code umqtt-test/aedes/server.mjs} once {@code npm ci}
	 * has installed it there. Skipped where Node or Aedes is not installed.
	 */
	AEDES;

	/**
	 * Whether a run with the environment variable {@code CI=true} must fail, rather than
	 * skip, where this broker cannot run: true for the brokers the build installs, false
	 * for Testcontainers, which needs a Docker engine CI may not have.
	 * @return whether CI requires this broker
	 */
	public boolean requiredInCi() {
		return this != TESTCONTAINERS;
	}

}
