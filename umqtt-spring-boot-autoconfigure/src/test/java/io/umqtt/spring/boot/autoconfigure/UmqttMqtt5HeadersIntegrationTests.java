package io.umqtt.spring.boot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttProperties;
import io.umqtt.core.UserProperty;
import io.umqtt.spring.MqttHeaderMapper;
import io.umqtt.spring.MqttHeaders;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 properties as spring-messaging headers, both ways, against Mosquitto 2.0: a
 * received message's properties are {@link MqttHeaders} (its content type Spring's
 * {@code contentType}, so the converter reads JSON into a record and text by its
 * charset), and {@link MqttTemplate} sends headers as properties through the
 * {@link MqttHeaderMapper}.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class UmqttMqtt5HeadersIntegrationTests {

	static final BlockingQueue<Object[]> received = new LinkedBlockingQueue<>();

	private MqttClient other;

	private ApplicationContextRunner runner(MqttBroker broker, int version) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(),
					"umqtt.version=" + version, "umqtt.client-id=s5h-app-" + System.nanoTime());
	}

	private MqttClient other(MqttBroker broker, org.springframework.context.ApplicationContext context) {
		MqttClient app = context.getBean(MqttClient.class);
		await().atMost(Duration.ofSeconds(15)).until(() -> app.getMqttsta() == 0);
		this.other = MqttClient.builder("s5h-other-" + System.nanoTime(), broker.host())
			.port(broker.port())
			.version(5)
			.dispatchThread(true)
			.build();
		this.other.connect();
		return this.other;
	}

	@AfterEach
	void disconnect() {
		received.clear();
		if (this.other != null) {
			this.other.disconnect();
		}
	}

	private static Object[] next() throws InterruptedException {
		Object[] call = received.poll(15, TimeUnit.SECONDS);
		assertThat(call).as("a listener invocation").isNotNull();
		return call;
	}

	@Test
	void receivedPropertiesAreHeadersAndTheContentTypeChoosesTheConverter(MqttBroker broker) {
		runner(broker, 5).withUserConfiguration(Listeners.class).run((context) -> {
			MqttClient app = context.getBean(MqttClient.class);
			await().atMost(Duration.ofSeconds(15))
				.until(() -> app.subscriptions().keySet().containsAll(List.of("s5h/json", "s5h/text")));
			MqttClient publisher = other(broker, context);
			MqttProperties json = MqttProperties.builder()
				.contentType("application/json")
				.responseTopic("s5h/replies")
				.correlationData(new byte[] { 1, 2, 3 })
				.messageExpiry(Duration.ofMinutes(5))
				.payloadFormatUtf8(true)
				.userProperty("site", "north")
				.userProperty("site", "south")
				.userProperty("mqtt_topic", "not/the/topic")
				.build();
			assertThat(publisher.publish("s5h/json", "{\"device\":\"d7\",\"celsius\":21.5}".getBytes(), false, 1, json))
				.isTrue();
			Object[] call = next();
			assertThat(call[0]).isEqualTo(new Reading("d7", 21.5));
			Map<?, ?> headers = (Map<?, ?>) call[1];
			assertThat(headers.get(MessageHeaders.CONTENT_TYPE)).isEqualTo("application/json");
			assertThat(headers.get(MqttHeaders.CONTENT_TYPE)).isEqualTo("application/json");
			assertThat(headers.get(MqttHeaders.RESPONSE_TOPIC)).isEqualTo("s5h/replies");
			assertThat((byte[]) headers.get(MqttHeaders.CORRELATION_DATA)).containsExactly(1, 2, 3);
			assertThat((Duration) headers.get(MqttHeaders.MESSAGE_EXPIRY)).isPositive()
				.isLessThanOrEqualTo(Duration.ofMinutes(5));
			assertThat(headers.get(MqttHeaders.PAYLOAD_FORMAT_UTF8)).isEqualTo(true);
			assertThat(headers.get(MqttHeaders.USER_PROPERTIES)).isEqualTo(List.of(new UserProperty("site", "north"),
					new UserProperty("site", "south"), new UserProperty("mqtt_topic", "not/the/topic")));
			assertThat(headers.get("site")).as("the first value of a repeated name").isEqualTo("north");
			assertThat(headers.get(MqttHeaders.TOPIC)).as("a user property does not replace an MQTT header")
				.isEqualTo("s5h/json");
			assertThat((List<?>) headers.get(MqttHeaders.SUBSCRIPTION_IDENTIFIERS))
				.as("the identifier the listener's subscription was given")
				.hasSize(1);

			// text by the charset its content type names: "é" in ISO-8859-1 is one byte
			MqttProperties text = MqttProperties.builder().contentType("text/plain;charset=ISO-8859-1").build();
			assertThat(publisher.publish("s5h/text", "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1), false, 1, text))
				.isTrue();
			call = next();
			assertThat(call[0]).isEqualTo("caf\u00e9");
			assertThat(((Map<?, ?>) call[1]).get(MessageHeaders.CONTENT_TYPE))
				.isEqualTo("text/plain;charset=ISO-8859-1");
		});
	}

	@Test
	void theTemplateSendsHeadersAsPropertiesAndTheConvertersContentType(MqttBroker broker) {
		runner(broker, 5).run((context) -> {
			BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
			other(broker, context).subscribe("s5h/out/#", 1, got::add);
			MqttTemplate template = context.getBean(MqttTemplate.class);
			template.convertAndSend("s5h/out/json", new Reading("d7", 21.5),
					Map.of(MqttHeaders.QOS, 1, MqttHeaders.RESPONSE_TOPIC, "s5h/replies", MqttHeaders.CORRELATION_DATA,
							"req-1", MqttHeaders.MESSAGE_EXPIRY, 60, MqttHeaders.USER_PROPERTIES,
							List.of(new UserProperty("site", "north"), new UserProperty("site", "south"))));
			MqttMessage json = got.poll(15, TimeUnit.SECONDS);
			assertThat(json).isNotNull();
			assertThat(json.payloadAsString()).isEqualTo("{\"device\":\"d7\",\"celsius\":21.5}");
			MqttProperties properties = json.properties();
			assertThat(properties.contentType()).isEqualTo("application/json");
			assertThat(properties.responseTopic()).isEqualTo("s5h/replies");
			assertThat(new String(properties.correlationData(), StandardCharsets.UTF_8)).isEqualTo("req-1");
			assertThat(properties.messageExpiry()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60));
			assertThat(properties.userProperties()).containsExactly(new UserProperty("site", "north"),
					new UserProperty("site", "south"));

			template.convertAndSend("s5h/out/text", "plain", Map.of(MqttHeaders.QOS, 1));
			MqttMessage text = got.poll(15, TimeUnit.SECONDS);
			assertThat(text).isNotNull();
			assertThat(text.properties().contentType()).startsWith("text/plain");
		});
	}

	@Test
	void anApplicationsHeaderMapperReplacesTheDefaultOne(MqttBroker broker) {
		runner(broker, 5).withUserConfiguration(OwnMapper.class).run((context) -> {
			BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
			other(broker, context).subscribe("s5h/mapped", 1, got::add);
			context.getBean(MqttTemplate.class)
				.convertAndSend("s5h/mapped", new Reading("d7", 21.5), Map.of(MqttHeaders.QOS, 1, "tenant", "acme"));
			MqttMessage message = got.poll(15, TimeUnit.SECONDS);
			assertThat(message).isNotNull();
			assertThat(message.properties().contentType()).isNull();
			assertThat(message.properties().userProperties()).containsExactly(new UserProperty("tenant", "acme"));
		});
	}

	@Test
	void onMqtt311TheMqtt5HeadersAreIgnored(MqttBroker broker) {
		runner(broker, 4).run((context) -> {
			BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
			other(broker, context).subscribe("s5h/v4", 1, got::add);
			MqttTemplate template = context.getBean(MqttTemplate.class);
			assertThat(template.getMqttVersion()).isEqualTo(4);
			template.convertAndSend("s5h/v4", new Reading("d7", 21.5),
					Map.of(MqttHeaders.QOS, 1, MqttHeaders.RESPONSE_TOPIC, "s5h/replies"));
			MqttMessage message = got.poll(15, TimeUnit.SECONDS);
			assertThat(message).isNotNull();
			assertThat(message.properties().contentType()).as("no properties from a 3.1.1 publisher").isNull();
			assertThat(message.properties().responseTopic()).isNull();
		});
	}

	record Reading(String device, double celsius) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@MqttSubscribe(topics = "s5h/json", qos = 1)
		void json(@Payload Reading reading, @Headers Map<String, Object> headers) {
			received.add(new Object[] { reading, headers });
		}

		@MqttSubscribe(topics = "s5h/text", qos = 1)
		void text(@Payload String text, @Headers Map<String, Object> headers) {
			received.add(new Object[] { text, headers });
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnMapper {

		@Bean
		MqttHeaderMapper tenantOnly() {
			return (headers) -> MqttProperties.builder().userProperty("tenant", (String) headers.get("tenant"));
		}

	}

}
