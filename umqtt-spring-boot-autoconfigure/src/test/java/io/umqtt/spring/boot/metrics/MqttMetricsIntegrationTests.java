package io.umqtt.spring.boot.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.boot.autoconfigure.UmqttAutoConfiguration;
import io.umqtt.spring.boot.autoconfigure.metrics.MqttMetricsAutoConfiguration;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meter counts equal the messages actually sent and received, against a real broker.
 */
@MqttBrokerTest
class MqttMetricsIntegrationTests {

	@Test
	void metersCountWhatWasSentAndReceived(MqttBroker broker) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class, MqttMetricsAutoConfiguration.class))
			.withUserConfiguration(Meters.class, Listener.class)
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port())
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				MqttClient client = context.getBean(MqttClient.class);
				Listener listener = context.getBean(Listener.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey("metrics/t"));
				assertThat(meters.get("umqtt.connection.state").tag("client", "default").gauge().value()).isZero();
				MqttTemplate template = context.getBean(MqttTemplate.class);
				for (int i = 0; i < 50; i++) {
					template.publish("metrics/t", "m" + i, 1, false).get(10, TimeUnit.SECONDS);
				}
				await().atMost(Duration.ofSeconds(10)).until(() -> listener.count.get() == 50);
				await().atMost(Duration.ofSeconds(5)).until(() -> meters.get("umqtt.listener").timer().count() == 50);
				assertThat(counter(meters, "umqtt.messages.published", "1")).isEqualTo(50);
				assertThat(counter(meters, "umqtt.messages.received", "1")).isEqualTo(50);
				assertThat(counter(meters, "umqtt.bytes.sent", "1")).isEqualTo(bytes(50));
				assertThat(counter(meters, "umqtt.bytes.received", "1")).isEqualTo(bytes(50));
				assertThat(counter(meters, "umqtt.messages.failed", "1")).isZero();
				assertThat(meters.get("umqtt.publish.latency").tag("qos", "1").timer().count()).isEqualTo(50);
				assertThat(meters.get("umqtt.publish").tag("umqtt.qos", "1").timer().count()).isEqualTo(50);
				assertThat(meters.get("umqtt.listener")
					.tag("umqtt.subscription", "metrics/t")
					.tag("error", "none")
					.timer()
					.count()).isEqualTo(50);
				assertThat(meters.get("umqtt.messages.inflight").gauge().value()).isZero();
				assertThat(meters.get("umqtt.reconnects").functionCounter().count()).isZero();
			});
	}

	private static double counter(MeterRegistry meters, String name, String qos) {
		return meters.get(name).tag("client", "default").tag("qos", qos).counter().count();
	}

	private static double bytes(int messages) {
		double total = 0;
		for (int i = 0; i < messages; i++) {
			total += ("m" + i).length();
		}
		return total;
	}

	@Configuration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ObservationRegistry observationRegistry(MeterRegistry meters) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		final AtomicInteger count = new AtomicInteger();

		@MqttSubscribe(topics = "metrics/t", qos = 1)
		void on(String payload) {
			this.count.incrementAndGet();
		}

	}

}
