package io.umqtt.core.interop;

import java.util.Map;

import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBrokerTest;

/**
 * The interop suite against {@link BrokerKind#MOSQUITTO}.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class MosquittoInteropIntegrationTests extends BrokerInteropSuite {

	@Override
	Map<Feature, String> limits() {
		// seen by running the case without it
		return Map.of(Feature.SUBSCRIBE_FAILURE, "answers a 300-level filter with no SUBACK 0x80");
	}

	@Override
	String brokerVersion() {
		return "Mosquitto " + BrokerMatrix.commandVersion("version (\\S+)",
				io.umqtt.test.MosquittoBroker.executable().map(Object::toString).orElse("mosquitto"), "-h");
	}

}
