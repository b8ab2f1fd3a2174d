package io.umqtt.test;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs only where a Docker engine is reachable; elsewhere the extension skips it and says
 * why.
 */
@MqttBrokerTest(kind = BrokerKind.TESTCONTAINERS)
class ContainerBrokerIntegrationTests {

	@Test
	void acceptsAClientAndKeepsSavedStateAcrossKill(MqttBroker broker) throws IOException {
		assertThat(broker.kind()).isEqualTo(BrokerKind.TESTCONTAINERS);
		PersistentSessionChecks.sessionAndQueuedMessageSurvive(broker, () -> {
			broker.save();
			broker.kill();
		});
	}

}
