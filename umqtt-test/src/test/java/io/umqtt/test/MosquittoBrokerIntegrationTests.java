package io.umqtt.test;

import java.io.IOException;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MosquittoBrokerIntegrationTests {

	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
	class Plain {

		@Test
		void savedStateSurvivesKillAndRestart(MqttBroker broker) throws IOException {
			assertThat(broker.kind()).isEqualTo(BrokerKind.MOSQUITTO);
			long pid = ((MosquittoBroker) broker).pid();
			PersistentSessionChecks.sessionAndQueuedMessageSurvive(broker, () -> {
				broker.save();
				broker.kill();
			});
			assertThat(((MosquittoBroker) broker).pid()).isNotEqualTo(pid);
		}

		@Test
		void stateSurvivesGracefulStopAndRestart(MqttBroker broker) throws IOException {
			PersistentSessionChecks.sessionAndQueuedMessageSurvive(broker, broker::stop);
		}

	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO, username = "device", password = "s3cret")
	class WithPassword {

		@Test
		void acceptsTheUserAndRefusesAWrongPassword(MqttBroker broker) throws IOException {
			try (RawMqtt client = RawMqtt.open(broker)) {
				assertThat(client.connect("auth-ok", true, "device", "s3cret")[1]).isZero();
			}
			try (RawMqtt client = RawMqtt.open(broker)) {
				assertThat(client.connect("auth-bad", true, "device", "wrong")[1]).isIn(4, 5);
			}
		}

	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO, tls = true, requireClientCertificate = true)
	class WithMutualTls {

		@Test
		void acceptsAClientPresentingTheGeneratedCertificate(MqttBroker broker) throws IOException {
			TlsChecks.connectsWithClientCertificate(broker);
		}

		@Test
		void refusesAClientWithoutCertificate(MqttBroker broker) throws Exception {
			TlsChecks.refusesWithoutClientCertificate(broker);
		}

	}

}
