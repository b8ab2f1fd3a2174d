package io.umqtt.test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared checks that a broker keeps a clean-session-false session and its queued message
 * across an outage brought about by {@code outage}.
 */
final class PersistentSessionChecks {

	private PersistentSessionChecks() {
	}

	static void sessionAndQueuedMessageSurvive(MqttBroker broker, Runnable outage) throws IOException {
		String subscriberId = "persistent-sub-" + System.nanoTime();
		// Moquette 0.17 now and then drops a connection that sends SUBSCRIBE right after
		// CONNACK
		// ("SUBSCRIBE received on already closed connection"), closing it or answering
		// with a
		// DISCONNECT packet instead of the SUBACK; that step is tried up to 3 times.
		for (int attempt = 1;; attempt++) {
			try (RawMqtt subscriber = RawMqtt.open(broker)) {
				assertThat(subscriber.connect(subscriberId, false, null, null)[1]).isZero();
				assertThat(subscriber.subscribe(1, "fixture/persist", 1)).isEqualTo(1);
				subscriber.disconnect();
				break;
			}
			catch (IOException ex) {
				if (attempt == 3 || broker.kind() != BrokerKind.EMBEDDED) {
					throw ex;
				}
			}
		}
		try (RawMqtt publisher = RawMqtt.open(broker)) {
			publisher.connect("persistent-pub", true, null, null);
			publisher.publishQos1(1, "fixture/persist", "kept while offline");
			publisher.disconnect();
		}
		outage.run();
		broker.start();
		try (RawMqtt subscriber = RawMqtt.open(broker)) {
			int[] connack = subscriber.connect(subscriberId, false, null, null);
			assertThat(connack).as("session present, accepted").containsExactly(1, 0);
			assertThat(subscriber.receive()).isEqualTo("kept while offline");
			subscriber.disconnect();
		}
	}

}
