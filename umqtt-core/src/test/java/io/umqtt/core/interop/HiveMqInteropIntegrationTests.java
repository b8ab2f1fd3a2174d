package io.umqtt.core.interop;

import java.util.Map;

import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBrokerTest;

/**
 * The interop suite against {@link BrokerKind#HIVEMQ}.
 */
@MqttBrokerTest(kind = BrokerKind.HIVEMQ)
class HiveMqInteropIntegrationTests extends BrokerInteropSuite {

	@Override
	Map<Feature, String> limits() {
		// each one seen by running the case without it
		return Map.of(Feature.DOLLAR_TOPICS, "refuses client PUBLISH to topics beginning with '$'");
	}

	@Override
	String brokerVersion() {
		return "HiveMQ CE " + com.hivemq.embedded.EmbeddedHiveMQ.class.getPackage().getImplementationVersion();
	}

}
