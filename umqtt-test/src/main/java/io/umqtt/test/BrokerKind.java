package io.umqtt.test;

/**
 * Which broker {@link MqttBrokerExtension} starts for a test.
 */
public enum BrokerKind {

	/**
	 * Mosquitto when its binary is installed, otherwise the embedded broker. Tests written for
	 * this kind pass on any machine.
	 */
	AUTO,

	/**
	 * The {@code mosquitto} binary, started on a free loopback port with a generated
	 * configuration. Tests that ask for it are skipped, saying so, where it is not installed.
	 */
	MOSQUITTO,

	/**
	 * Moquette, embedded in the test JVM. Needs nothing installed.
	 */
	EMBEDDED,

	/**
	 * The {@code eclipse-mosquitto} image through Testcontainers. Tests that ask for it are
	 * skipped where no Docker engine is reachable.
	 */
	TESTCONTAINERS

}
