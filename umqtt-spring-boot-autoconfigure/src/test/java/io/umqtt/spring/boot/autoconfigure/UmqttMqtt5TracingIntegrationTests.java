package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.ArrayListSpanProcessor;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelFinishedSpan;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.test.simple.SpansAssert;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace from {@code MqttTemplate} through Mosquitto 2.0 to an {@code @MqttSubscribe}
 * listener on MQTT 5: with Micrometer Tracing (the OpenTelemetry bridge, W3C propagation)
 * the {@code umqtt.publish} span's context travels as a {@code traceparent} user property
 * and the {@code umqtt.listener} span is its child.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class UmqttMqtt5TracingIntegrationTests {

	static final List<String> traceparents = new CopyOnWriteArrayList<>();

	@Test
	void theListenersSpanContinuesThePublishersTrace(MqttBroker broker) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class))
			.withUserConfiguration(Tracing.class, Traced.class)
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(), "umqtt.version=5",
					"umqtt.client-id=s5t-app-" + System.nanoTime())
			.run((context) -> {
				MqttClient app = context.getBean(MqttClient.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> app.subscriptions().containsKey("s5t/traced"));
				context.getBean(MqttTemplate.class).convertAndSend("s5t/traced", "hello", Map.of("mqtt_qos", 1));
				ArrayListSpanProcessor spans = context.getBean(ArrayListSpanProcessor.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> spans.spans().size() >= 2);
				List<FinishedSpan> finished = spans.spans().stream().map(OtelFinishedSpan::fromOtel).toList();
				FinishedSpan publish = finished.stream()
					.filter((span) -> span.getName().equals("s5t/traced publish"))
					.findFirst()
					.orElseThrow();
				FinishedSpan listener = finished.stream()
					.filter((span) -> span.getName().equals("s5t/traced receive"))
					.findFirst()
					.orElseThrow();
				SpansAssert.assertThat(finished).haveSameTraceId();
				assertThat(listener.getTraceId()).isEqualTo(publish.getTraceId());
				assertThat(listener.getParentId()).as("the listener's parent is the publish span")
					.isEqualTo(publish.getSpanId());
				assertThat(publish.getKind()).isEqualTo(io.micrometer.tracing.Span.Kind.PRODUCER);
				assertThat(listener.getKind()).isEqualTo(io.micrometer.tracing.Span.Kind.CONSUMER);
				assertThat(traceparents).singleElement()
					.isEqualTo("00-" + publish.getTraceId() + "-" + publish.getSpanId() + "-01");
			});
	}

	@Test
	void aRequestTheListenerThatAnswersItAndTheReplyAreOneTrace(MqttBroker broker) {
		// a Boot application with properties, MqttTemplate and @MqttSubscribe only
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class))
			.withUserConfiguration(Tracing.class, Traced.class)
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(), "umqtt.version=5",
					"umqtt.client-id=s5t-rr-" + System.nanoTime(), "umqtt.template.reply-timeout=10s")
			.run((context) -> {
				MqttClient app = context.getBean(MqttClient.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> app.subscriptions().containsKey("s5t/ask"));
				String reply = context.getBean(MqttTemplate.class)
					.convertSendAndReceive("s5t/ask", "ping", Map.of("mqtt_qos", 1), String.class);
				assertThat(reply).isEqualTo("answer to ping");
				ArrayListSpanProcessor spans = context.getBean(ArrayListSpanProcessor.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> spans.spans().size() >= 3);
				List<FinishedSpan> finished = spans.spans().stream().map(OtelFinishedSpan::fromOtel).toList();
				FinishedSpan request = finished.stream()
					.filter((span) -> span.getName().equals("s5t/ask request"))
					.findFirst()
					.orElseThrow();
				FinishedSpan listener = finished.stream()
					.filter((span) -> span.getName().equals("s5t/ask receive"))
					.findFirst()
					.orElseThrow();
				FinishedSpan answer = finished.stream()
					.filter((span) -> span.getName().endsWith(" publish"))
					.findFirst()
					.orElseThrow();
				SpansAssert.assertThat(finished).haveSameTraceId();
				assertThat(request.getKind()).isEqualTo(io.micrometer.tracing.Span.Kind.PRODUCER);
				assertThat(request.getTags()).containsEntry("umqtt.reply", "received");
				assertThat(listener.getParentId()).as("the listener's parent is the request span")
					.isEqualTo(request.getSpanId());
				assertThat(answer.getParentId()).as("the reply is published inside the listener's span")
					.isEqualTo(listener.getSpanId());
				// to the response topic the client subscribed for its requests
				assertThat(app.subscriptions()).containsKey(answer.getTags().get("umqtt.topic"));
				assertThat(answer.getTags().get("umqtt.topic")).isNotIn("s5t/ask", "s5t/traced");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Tracing {

		@Bean
		ArrayListSpanProcessor spanProcessor() {
			return new ArrayListSpanProcessor();
		}

		@Bean(destroyMethod = "close")
		SdkTracerProvider tracerProvider(ArrayListSpanProcessor spans) {
			return SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).addSpanProcessor(spans).build();
		}

		@Bean
		ObservationRegistry observationRegistry(SdkTracerProvider provider) {
			io.opentelemetry.api.trace.Tracer otel = provider.get("umqtt-test");
			OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), (event) -> {
			});
			OtelPropagator propagator = new OtelPropagator(
					ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(
						new io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler(
								new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
								new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
								new DefaultTracingObservationHandler(tracer)));
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Traced {

		@MqttSubscribe(topics = "s5t/traced", qos = 1)
		void on(String payload, @Header("traceparent") String traceparent) {
			traceparents.add(traceparent);
		}

		@MqttSubscribe(topics = "s5t/ask", qos = 1)
		String answer(String question) {
			return "answer to " + question;
		}

	}

}
