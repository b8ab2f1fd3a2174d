package io.umqtt.spring.boot.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.boot.autoconfigure.UmqttAutoConfiguration;
import io.umqtt.spring.boot.autoconfigure.health.MqttHealthContributorAutoConfiguration;
import io.umqtt.test.FreePort;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the {@code mqtt} health details disclose: counts of subscriptions unless asked for
 * the filters, and a last error without the user name or password.
 */
@MqttBrokerTest
class MqttHealthIndicatorIntegrationTests {

	private static final String FILTER = "tenants/acme/devices/+/telemetry";

	private ApplicationContextRunner runner(MqttBroker broker) {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(UmqttAutoConfiguration.class, MqttHealthContributorAutoConfiguration.class))
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port());
	}

	@Test
	void detailsCountSubscriptionsWithoutListingTheFilters(MqttBroker broker) {
		runner(broker).run((context) -> {
			Map<String, Object> details = connectedAndSubscribed(context);
			assertThat(details).containsEntry("subscriptions", 1)
				.doesNotContainKey("subscriptionFilters")
				.containsKey("server");
			assertThat(details.toString()).doesNotContain("acme");
		});
	}

	@Test
	void showSubscriptionsListsTheFilters(MqttBroker broker) {
		runner(broker).withPropertyValues("management.health.mqtt.show-subscriptions=true").run((context) -> {
			Map<String, Object> details = connectedAndSubscribed(context);
			assertThat(details).containsEntry("subscriptions", 1)
				.containsEntry("subscriptionFilters", Map.of(FILTER, 1));
		});
	}

	@Test
	void theLastErrorHidesThePasswordAndKeepsTheRestReadable() {
		// nothing listens there: the error text names the port, which here is also the
		// password,
		// as a server's reason string could echo it; the user name is no secret and stays
		int closed = FreePort.find();
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(UmqttAutoConfiguration.class, MqttHealthContributorAutoConfiguration.class))
			.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=" + closed, "umqtt.user=device",
					"umqtt.password=" + closed, "umqtt.connect-timeout=5s")
			.run((context) -> {
				HealthIndicator health = context.getBean("mqttHealthContributor", HealthIndicator.class);
				await().atMost(Duration.ofSeconds(20))
					.until(() -> health.health().getDetails().get("lastError") != null);
				String lastError = (String) health.health().getDetails().get("lastError");
				assertThat(lastError).contains("127.0.0.1:******")
					.contains("Connection refused")
					.doesNotContain(Integer.toString(closed));
			});
	}

	@Test
	void listenerInFlightCountsTheMessagesListenersHoldUnacknowledged(MqttBroker broker) throws Exception {
		Holding.release = new CountDownLatch(1);
		runner(broker).withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
			.withUserConfiguration(Holding.class)
			.run((context) -> {
				MqttClient client = context.getBean(MqttClient.class);
				HealthIndicator health = context.getBean("mqttHealthContributor", HealthIndicator.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> client.subscriptions().containsKey("hold/t"));
				assertThat(health.health().getDetails()).containsEntry("listenerInFlight", 0);
				for (int i = 0; i < 3; i++) {
					client.publishAsync("hold/t", "m" + i, false, 1);
				}
				await().atMost(Duration.ofSeconds(15))
					.until(() -> Integer.valueOf(3).equals(health.health().getDetails().get("listenerInFlight")));
				Holding.release.countDown();
				await().atMost(Duration.ofSeconds(15))
					.until(() -> Integer.valueOf(0).equals(health.health().getDetails().get("listenerInFlight")));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Holding {

		static volatile CountDownLatch release;

		@MqttSubscribe(topics = "hold/t", qos = 1, id = "holding")
		void on(String payload) throws InterruptedException {
			release.await(30, TimeUnit.SECONDS);
		}

	}

	private static Map<String, Object> connectedAndSubscribed(org.springframework.context.ApplicationContext context) {
		MqttClient client = context.getBean(MqttClient.class);
		HealthIndicator health = context.getBean("mqttHealthContributor", HealthIndicator.class);
		await().atMost(Duration.ofSeconds(15)).until(() -> client.getMqttsta() == 0);
		client.subscribe(FILTER, 1);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> health.health().getStatus().equals(Status.UP)
					&& Integer.valueOf(1).equals(health.health().getDetails().get("subscriptions")));
		return health.health().getDetails();
	}

}
