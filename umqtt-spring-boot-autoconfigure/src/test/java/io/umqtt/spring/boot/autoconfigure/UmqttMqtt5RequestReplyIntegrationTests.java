package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 request/reply with only properties, {@link MqttTemplate} and
 * {@code @MqttSubscribe}, against Mosquitto 2.0: the template's
 * {@code convertSendAndReceive} gets the value a listener method returned, published to
 * the request's response topic with its correlation data, without {@code @SendTo}.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class UmqttMqtt5RequestReplyIntegrationTests {

	static final AtomicInteger silentCalls = new AtomicInteger();

	private ApplicationContextRunner runner(MqttBroker broker, int version) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withUserConfiguration(Responder.class)
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(),
					"umqtt.version=" + version, "umqtt.client-id=s5r-app-" + System.nanoTime(),
					"umqtt.template.reply-timeout=2s");
	}

	private static void awaitSubscribed(MqttClient app) {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> app.getMqttsta() == 0
					&& app.subscriptions().keySet().containsAll(List.of("svc/echo", "svc/silent")));
	}

	@Test
	void convertSendAndReceiveGetsTheListenersReturnValue(MqttBroker broker) {
		runner(broker, 5).run((context) -> {
			awaitSubscribed(context.getBean(MqttClient.class));
			MqttTemplate template = context.getBean(MqttTemplate.class);
			assertThat(template.getReplyTimeout()).isEqualTo(Duration.ofSeconds(2));
			Reply reply = template.convertSendAndReceive("svc/echo", new Request("hello"), Reply.class);
			assertThat(reply).isEqualTo(new Reply("echo: hello", 5));
			// each request has its own correlation data: the second reply is its own
			Reply second = template.convertSendAndReceive("svc/echo", new Request("again"), Reply.class);
			assertThat(second).isEqualTo(new Reply("echo: again", 5));
			// and as a message with the reply's headers
			org.springframework.messaging.Message<?> message = template.sendAndReceive("svc/echo",
					MessageBuilder.withPayload("{\"text\":\"raw\"}".getBytes()).build());
			assertThat(message).isNotNull();
			assertThat(new String((byte[]) message.getPayload())).contains("echo: raw");
			assertThat(message.getHeaders().get(io.umqtt.spring.MqttHeaders.CONTENT_TYPE))
				.isEqualTo("application/json");
		});
	}

	@Test
	void aNullReturnValuePublishesNothingAndTheRequestTimesOut(MqttBroker broker) {
		runner(broker, 5).run((context) -> {
			awaitSubscribed(context.getBean(MqttClient.class));
			MqttTemplate template = context.getBean(MqttTemplate.class);
			int before = silentCalls.get();
			long start = System.nanoTime();
			Reply reply = template.convertSendAndReceive("svc/silent", new Request("anyone?"), Reply.class);
			Duration waited = Duration.ofNanos(System.nanoTime() - start);
			assertThat(reply).isNull();
			assertThat(silentCalls.get()).as("the listener was invoked").isGreaterThan(before);
			assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(1900)).isLessThan(Duration.ofSeconds(10));
		});
	}

	@Test
	void onMqtt311SendAndReceiveIsRefused(MqttBroker broker) {
		runner(broker, 4).run((context) -> {
			MqttTemplate template = context.getBean(MqttTemplate.class);
			assertThatIllegalStateException()
				.isThrownBy(() -> template.convertSendAndReceive("svc/echo", new Request("hi"), Reply.class))
				.withMessageContaining("needs MQTT 5")
				.withMessageContaining("umqtt.version: 5");
		});
	}

	record Request(String text) {
	}

	record Reply(String text, int version) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Responder {

		@MqttSubscribe(topics = "svc/echo", qos = 1)
		Reply echo(Request request) {
			return new Reply("echo: " + request.text(), 5);
		}

		@MqttSubscribe(topics = "svc/silent", qos = 1)
		Reply silent(Request request) {
			silentCalls.incrementAndGet();
			return null;
		}

	}

}
