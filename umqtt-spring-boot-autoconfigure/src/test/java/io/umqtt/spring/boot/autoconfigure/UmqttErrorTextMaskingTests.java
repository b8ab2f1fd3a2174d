package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.ErrorTextMask;
import io.umqtt.spring.MqttClients;
import io.umqtt.spring.boot.autoconfigure.health.MqttHealthContributorAutoConfiguration;
import io.umqtt.spring.event.MqttConnectionLostEvent;
import io.umqtt.test.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A password that appears in an error text is hidden wherever the starter shows that
 * text: health details, its log lines and the events it publishes; the rest of the text
 * stays readable.
 */
@ExtendWith(OutputCaptureExtension.class)
class UmqttErrorTextMaskingTests {

	@Test
	void aPasswordInAFailingServersErrorTextIsHiddenInHealthAndInTheStartersLog(CapturedOutput output) {
		// nothing listens there; the port, which the connection error names, is also the
		// password
		int closed = FreePort.find();
		String password = Integer.toString(closed);
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(UmqttAutoConfiguration.class, MqttHealthContributorAutoConfiguration.class))
			.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=" + closed, "umqtt.user=device",
					"umqtt.password=" + password, "umqtt.reconn=false", "umqtt.connect-timeout=5s")
			.run((context) -> {
				HealthIndicator health = context.getBean("mqttHealthContributor", HealthIndicator.class);
				await().atMost(Duration.ofSeconds(20))
					.until(() -> health.health().getDetails().get("lastError") != null);
				String lastError = (String) health.health().getDetails().get("lastError");
				assertThat(lastError).doesNotContain(password)
					.contains("Cannot connect to 127.0.0.1:******")
					.contains("Connection refused");
				await().atMost(Duration.ofSeconds(20)).until(() -> output.getAll().contains("could not connect"));
			});
		List<String> starterLines = output.getAll()
			.lines()
			.filter((line) -> line.contains("could not connect"))
			.toList();
		assertThat(starterLines).isNotEmpty()
			.allSatisfy((line) -> assertThat(line).doesNotContain(password)
				.contains("MQTT client 'default'")
				.contains("127.0.0.1:******"));
	}

	@Test
	void aPasswordInAConnectionLostReasonIsHiddenInTheEvent() {
		MqttClient client = MqttClient.builder("masking", "127.0.0.1")
			.port(1)
			.user("device")
			.password("s3cret")
			.build();
		try {
			MqttClients clients = new MqttClients(Map.of(MqttClients.PRIMARY, client),
					Map.of(MqttClients.PRIMARY, ErrorTextMask.of("s3cret")));
			List<Object> events = new CopyOnWriteArrayList<>();
			MqttClientsLifecycle lifecycle = new MqttClientsLifecycle(clients, new UmqttProperties(), events::add,
					new org.springframework.beans.factory.support.StaticListableBeanFactory()
						.getBeanProvider(io.umqtt.spring.listener.MqttListenerEndpointRegistry.class));
			lifecycle.new EventPublishingListener(MqttClients.PRIMARY).connectionLost(client,
					"closed by the server: tcp://device:s3cret@broker.example:1883 said 's3cret' is wrong");
			assertThat(events).singleElement()
				.isInstanceOfSatisfying(MqttConnectionLostEvent.class, (event) -> assertThat(event.getReason())
					.isEqualTo("closed by the server: tcp://******@broker.example:1883 said '******' is wrong"));
		}
		finally {
			client.disconnect();
		}
	}

	@Test
	void theMaskHidesExactlyThePasswordAndUriUserInformation() {
		ErrorTextMask mask = ErrorTextMask.of("pa55");
		assertThat(mask.apply("bad credentials pa55 for device at mqtts://device:pa55@h:8883/x"))
			.isEqualTo("bad credentials ****** for device at mqtts://******@h:8883/x");
		assertThat(ErrorTextMask.of(null).apply("ws://u@h/mqtt refused")).isEqualTo("ws://******@h/mqtt refused");
		assertThat(ErrorTextMask.of("").apply("no secret here")).isEqualTo("no secret here");
		assertThat(mask.apply(null)).isNull();
	}

}
