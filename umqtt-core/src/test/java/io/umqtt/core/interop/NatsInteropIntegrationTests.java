package io.umqtt.core.interop;

import java.util.Map;

import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBrokerTest;

/**
 * The interop suite against {@link BrokerKind#NATS}.
 */
@MqttBrokerTest(kind = BrokerKind.NATS)
class NatsInteropIntegrationTests extends BrokerInteropSuite {

	@Override
	Map<Feature, String> limits() {
		// each one seen by running the case without it
		return Map.of(Feature.QOS_2, "no QoS 2: grants QoS 1 for a QoS 2 subscription", Feature.DOLLAR_TOPICS,
				"'#' matches its own '$MQTT' and '$JS' topics [MQTT-4.7.2-1]", Feature.MQTT_3_1,
				"speaks MQTT 3.1.1 only: closes a 3.1 CONNECT");
	}

	@Override
	String brokerVersion() {
		return "NATS " + BrokerMatrix.commandVersion(" v(\\S+)", "nats-server", "--version");
	}

}
