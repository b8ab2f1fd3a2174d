package io.umqtt.test;

import java.io.IOException;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;

@MqttBrokerTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerFixtureIntegrationTests {

	@Test
	@Order(1)
	void autoPicksMosquittoWhenInstalledElseTheEmbeddedBroker(MqttBroker broker) throws IOException {
		assertThat(broker.kind()).isEqualTo(MqttBrokers.resolve(BrokerKind.AUTO)).isNotEqualTo(BrokerKind.AUTO);
		assertThat(broker.host()).isEqualTo("127.0.0.1");
		try (RawMqtt client = RawMqtt.open(broker)) {
			assertThat(client.connect("fixture-auto", true, null, null)).containsExactly(0, 0);
		}
	}

	@Test
	@Order(2)
	void aTestMayLeaveTheBrokerKilled(MqttBroker broker) {
		broker.kill();
		assertThat(broker.isRunning()).isFalse();
		assertThat(FreePort.isListening(broker.port())).isFalse();
	}

	@Test
	@Order(3)
	void theNextTestGetsItRunningAgainOnTheSamePort(MqttBroker broker) throws IOException {
		assertThat(broker.isRunning()).isTrue();
		try (RawMqtt client = RawMqtt.open(broker)) {
			assertThat(client.connect("fixture-again", true, null, null)).containsExactly(0, 0);
		}
	}

}
