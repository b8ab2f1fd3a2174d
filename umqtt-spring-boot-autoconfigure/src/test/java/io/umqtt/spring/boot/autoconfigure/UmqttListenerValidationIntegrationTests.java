package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.listener.MqttListenerErrorHandler;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @Valid} payloads are validated when a validator is present; an invalid one and
 * one that does not convert go to the error handler, and delivery goes on.
 */
@MqttBrokerTest
class UmqttListenerValidationIntegrationTests {

	@Test
	void invalidAndUnreadablePayloadsGoToTheErrorHandler(MqttBroker broker) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
					UmqttAutoConfiguration.class))
			.withUserConfiguration(Orders.class)
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port())
			.run((context) -> {
				Orders orders = context.getBean(Orders.class);
				MqttClient client = context.getBean(MqttClient.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey("orders/new"));
				MqttTemplate template = context.getBean(MqttTemplate.class);
				template.publish("orders/new", "{\"id\":\"\",\"amount\":-1}", 1, false).get(10, TimeUnit.SECONDS);
				template.publish("orders/new", "not json at all", 1, false).get(10, TimeUnit.SECONDS);
				template.publish("orders/new", "{\"id\":\"A-1\",\"amount\":3}", 1, false).get(10, TimeUnit.SECONDS);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> orders.accepted.size() == 1 && orders.errors.size() == 2);
				assertThat(orders.accepted).containsExactly(new Order("A-1", 3));
				assertThat(orders.errors.get(0)).isInstanceOf(MethodArgumentNotValidException.class);
				assertThat(orders.errors.get(0).getMessage()).contains("id").contains("amount");
				assertThat(orders.errors.get(1)).isNotInstanceOf(MethodArgumentNotValidException.class);
				assertThat(client.getMqttsta()).isZero();
			});
	}

	record Order(@NotBlank String id, @Positive int amount) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Orders {

		final List<Order> accepted = new CopyOnWriteArrayList<>();

		final List<Exception> errors = new CopyOnWriteArrayList<>();

		@MqttSubscribe(topics = "orders/new", qos = 1)
		void on(@Valid @Payload Order order) {
			this.accepted.add(order);
		}

		@Bean
		MqttListenerErrorHandler recordingErrorHandler() {
			return (listenerId, message, exception) -> this.errors.add(exception);
		}

	}

}
