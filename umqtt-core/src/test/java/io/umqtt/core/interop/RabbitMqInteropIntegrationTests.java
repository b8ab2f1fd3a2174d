package io.umqtt.core.interop;

import java.util.Map;

import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBrokerTest;

/**
 * The interop suite against {@link BrokerKind#RABBITMQ}.
 */
@MqttBrokerTest(kind = BrokerKind.RABBITMQ)
class RabbitMqInteropIntegrationTests extends BrokerInteropSuite {

	@Override
	Map<Feature, String> limits() {
		// each one seen by running the case without it
		return Map.of(Feature.QOS_2, "no QoS 2: grants QoS 1 for a QoS 2 subscription", Feature.DOLLAR_TOPICS,
				"'#' matches topics beginning with '$' [MQTT-4.7.2-1]");
	}

	@Override
	String brokerVersion() {
		return "RabbitMQ " + BrokerMatrix.commandVersion("rabbitmq_server-(\\S+)", "ls", "/usr/lib/rabbitmq/lib");
	}

}
