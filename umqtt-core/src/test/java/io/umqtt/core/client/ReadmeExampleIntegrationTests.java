package io.umqtt.core.client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.MqttClient;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Using the core without Spring" example, as written there, run against a
 * broker: if this fails, the README is wrong.
 */
@MqttBrokerTest
class ReadmeExampleIntegrationTests {

	@Test
	void readmeExampleRunsAsWritten(MqttBroker broker) {
		String host = broker.host();
		int port = broker.port();
		List<String> printed = new CopyOnWriteArrayList<>();

		// --- README example begins
		MqttClient client = MqttClient.builder("sensor-42", host).port(port).keepalive(30).build();
		client.setCallback((topic, msg) -> printed.add(topic + ": " + new String(msg, StandardCharsets.UTF_8)));
		client.setLastWill("sensors/42/status", "offline", true, 1);
		client.connect();

		client.subscribe("sensors/+/temperature", 1);
		client.publish("sensors/42/temperature", "21.5", false, 1); // blocks until PUBACK
		client.waitMsg(); // delivers in this thread

		CompletableFuture<Void> sent = client.publishAsync("sensors/42/temperature",
				"21.6".getBytes(StandardCharsets.UTF_8), false, 2); // completes at
																	// PUBCOMP
		sent.join();
		client.waitMsg();

		System.out.println(client.getMqttsta()); // 0: connected
		client.disconnect();
		// --- README example ends

		assertThat(printed).containsExactly("sensors/42/temperature: 21.5", "sensors/42/temperature: 21.6");
		assertThat(client.getMqttsta()).isEqualTo(-1);
	}

}
