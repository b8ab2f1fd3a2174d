package io.umqtt.core.interop;

import java.util.Map;

import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBrokerTest;

/**
 * The interop suite against {@link BrokerKind#EMBEDDED}.
 */
@MqttBrokerTest(kind = BrokerKind.EMBEDDED)
class MoquetteInteropIntegrationTests extends BrokerInteropSuite {

	@Override
	Map<Feature, String> limits() {
		// each one seen by running the case without it
		return Map.of(Feature.RETAINED, "delivers retained messages with RETAIN 0 [MQTT-3.3.1-8]",
				Feature.DOLLAR_TOPICS, "'#' matches topics beginning with '$' [MQTT-4.7.2-1]");
	}

	@Override
	String brokerVersion() {
		return "Moquette " + BrokerMatrix.jarVersion("io.moquette", "moquette-broker");
	}

}
