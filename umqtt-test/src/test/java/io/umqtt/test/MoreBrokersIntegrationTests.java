package io.umqtt.test;

import java.io.IOException;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each broker kind beyond Mosquitto and Moquette starts on its own loopback port, takes
 * an anonymous client, can be killed by the test and comes back on the same port.
 */
class MoreBrokersIntegrationTests {

	@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
	abstract static class Lifecycle {

		abstract BrokerKind expected();

		@Test
		@Order(1)
		void acceptsAnAnonymousClientOnLoopback(MqttBroker broker) throws IOException {
			assertThat(broker.kind()).isEqualTo(expected());
			try (RawMqtt client = RawMqtt.open(broker)) {
				assertThat(client.connect("fixture-" + expected().name().toLowerCase(), true, null, null))
					.containsExactly(0, 0);
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

	@Nested
	@MqttBrokerTest(kind = BrokerKind.RABBITMQ)
	class RabbitMq extends Lifecycle {

		@Override
		BrokerKind expected() {
			return BrokerKind.RABBITMQ;
		}

	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.NATS)
	class Nats extends Lifecycle {

		@Override
		BrokerKind expected() {
			return BrokerKind.NATS;
		}

	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.HIVEMQ)
	class HiveMq extends Lifecycle {

		@Override
		BrokerKind expected() {
			return BrokerKind.HIVEMQ;
		}

	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.AEDES)
	class Aedes extends Lifecycle {

		@Override
		BrokerKind expected() {
			return BrokerKind.AEDES;
		}

	}

}
