package io.umqtt.core.interop;

import java.util.Map;

import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBrokerTest;

/**
 * The interop suite against {@link BrokerKind#AEDES}.
 */
@MqttBrokerTest(kind = BrokerKind.AEDES)
class AedesInteropIntegrationTests extends BrokerInteropSuite {

	@Override
	Map<Feature, String> limits() {
		// each one seen by running the case without it
		return Map.of(Feature.SUBSCRIBE_FAILURE, "answers a 300-level filter with no SUBACK 0x80", Feature.REDELIVERY,
				"redelivers an unacknowledged QoS 1 message without DUP [MQTT-3.3.1-1]");
	}

	@Override
	String brokerVersion() {
		return "Aedes " + BrokerMatrix.commandVersion("\"version\": *\"([^\"]+)\"", "cat",
				io.umqtt.test.AedesBroker.home()
					.map((h) -> h.resolve("node_modules/aedes/package.json").toString())
					.orElse("/nonexistent"));
	}

}
