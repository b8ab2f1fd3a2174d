package io.umqtt.spring.boot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttHeaders;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.annotation.TopicVariable;
import io.umqtt.spring.boot.autoconfigure.health.MqttHealthContributorAutoConfiguration;
import io.umqtt.spring.event.MqttConnectedEvent;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.SendTo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter against a real broker: listeners with every kind of argument, templates,
 * two clients, last will and health.
 */
@MqttBrokerTest
class UmqttListenerIntegrationTests {

	private ApplicationContextRunner runner(MqttBroker broker) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, UmqttAutoConfiguration.class,
					MqttHealthContributorAutoConfiguration.class))
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(), "umqtt.keepalive=2",
					"app.topic=placeholder/in");
	}

	@Test
	void listenersReceiveWithEveryArgumentKind(MqttBroker broker) {
		runner(broker).withUserConfiguration(Listeners.class).run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);
			MqttClient client = context.getBean(MqttClient.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> client.getMqttsta() == 0 && client.subscriptions().size() >= 5);
			MqttTemplate template = context.getBean(MqttTemplate.class);
			template.convertAndSend("devices/42/telemetry", new Reading("temp", 21.5));
			template.convertAndSend("placeholder/in", "text");
			template.publish("raw/bytes", new byte[] { 1, 2, 3 }, 1, false).get(5, TimeUnit.SECONDS);
			template.convertAndSend("headers/x", "h", Map.of(MqttHeaders.QOS, 2));
			template.convertAndSend("whole/message", "m");
			template.convertAndSend("echo/request", "ping");
			template.convertAndSend("fails/now", "boom");
			await().atMost(Duration.ofSeconds(10)).until(() -> listeners.events.size() >= 7);
			assertThat(listeners.events).contains("reading 42 temp=21.5", "placeholder text", "bytes 3",
					"header headers/x qos=2 client=default", "message whole/message m", "reply pong:ping",
					"failed boom");
			// the throwing listener did not bring the connection down
			assertThat(client.getMqttsta()).isZero();
		});
	}

	@Test
	void pausedListenerIsUnsubscribedUntilResumed(MqttBroker broker) {
		runner(broker).withUserConfiguration(Listeners.class).run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);
			MqttClient client = context.getBean(MqttClient.class);
			MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey("placeholder/in"));
			registry.pause("placeholder");
			assertThat(client.subscriptions()).doesNotContainKey("placeholder/in");
			MqttTemplate template = context.getBean(MqttTemplate.class);
			template.convertAndSend("placeholder/in", "while paused");
			registry.resume("placeholder");
			await().atMost(Duration.ofSeconds(10)).until(() -> client.subscriptions().containsKey("placeholder/in"));
			template.convertAndSend("placeholder/in", "after resume");
			await().atMost(Duration.ofSeconds(10)).until(() -> listeners.events.contains("placeholder after resume"));
			assertThat(listeners.events).doesNotContain("placeholder while paused");
		});
	}

	@Test
	void jsonFromMosquittoPubReachesARecordParameter(MqttBroker broker) throws Exception {
		org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_pub")),
				"needs mosquitto_pub (Debian package mosquitto-clients)");
		runner(broker).withUserConfiguration(Listeners.class).run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);
			MqttClient client = context.getBean(MqttClient.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> client.subscriptions().containsKey("devices/+/telemetry"));
			Process pub = new ProcessBuilder("/usr/bin/mosquitto_pub", "-h", broker.host(), "-p",
					Integer.toString(broker.port()), "-q", "1", "-t", "devices/7/telemetry", "-m",
					"{\"kind\":\"humidity\",\"value\":40.0}")
				.redirectErrorStream(true)
				.start();
			assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
			assertThat(pub.exitValue()).isZero();
			await().atMost(Duration.ofSeconds(10)).until(() -> listeners.events.contains("reading 7 humidity=40.0"));
		});
	}

	@Test
	void twoClientsWithTheirOwnListenersAndTemplates(MqttBroker broker) {
		runner(broker).withPropertyValues("umqtt.clients.second.client-id=second-client")
			.withUserConfiguration(SecondClientListener.class)
			.run((context) -> {
				SecondClientListener listener = context.getBean(SecondClientListener.class);
				MqttClient second = context.getBean("secondMqttClient", MqttClient.class);
				assertThat(second.clientId()).isEqualTo("second-client");
				await().atMost(Duration.ofSeconds(10)).until(() -> second.subscriptions().containsKey("second/#"));
				listener.primaryTemplate.convertAndSend("second/hello", "from primary");
				await().atMost(Duration.ofSeconds(10))
					.until(() -> listener.received.contains("from primary via second"));
			});
	}

	@Test
	void lastWillIsPublishedWhenTheClientDiesAndHealthFollowsTheConnection(MqttBroker broker) {
		MqttClient watcher = MqttClient.builder("will-watcher-" + System.nanoTime(), broker.host())
			.port(broker.port())
			.dispatchThread(true)
			.build();
		List<String> wills = new CopyOnWriteArrayList<>();
		try {
			watcher.connect();
			watcher.subscribe("status/#", 1, (message) -> wills.add(message.topic() + "=" + message.payloadAsString()));
			runner(broker)
				.withPropertyValues("umqtt.last-will.topic=status/app", "umqtt.last-will.msg=offline",
						"umqtt.last-will.qos=1", "umqtt.last-will.retain=false")
				.run((context) -> {
					MqttClient client = context.getBean(MqttClient.class);
					HealthIndicator health = context.getBean("mqttHealthContributor", HealthIndicator.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() == 0);
					assertThat(health.health().getStatus()).isEqualTo(Status.UP);
					assertThat(health.health().getDetails()).containsEntry("mqttsta", 0)
						.containsEntry("clientId", client.clientId());
					// drop the socket without DISCONNECT, as a crash would
					client.close();
					await().atMost(Duration.ofSeconds(10)).until(() -> wills.contains("status/app=offline"));
					assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
				});
		}
		finally {
			watcher.disconnect();
		}
	}

	@Test
	void healthGoesDownAndUpWithTheBroker(MqttBroker broker) {
		runner(broker).withUserConfiguration(ConnectedEvents.class).run((context) -> {
			MqttClient client = context.getBean(MqttClient.class);
			HealthIndicator health = context.getBean("mqttHealthContributor", HealthIndicator.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getStatus().equals(Status.UP));
			broker.kill();
			// reconnecting after a lost connection is DOWN, not merely UNKNOWN
			await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getStatus().equals(Status.DOWN));
			assertThat(health.health().getDetails()).containsKey("lastError");
			broker.start();
			await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.UP));
			assertThat(client.reconnectCount()).isGreaterThanOrEqualTo(1);
			assertThat(context.getBean(ConnectedEvents.class).events).anyMatch(MqttConnectedEvent::isReconnect);
		});
	}

	@Test
	void applicationStartsWhileTheBrokerIsDownAndConnectsWhenItComesUp(MqttBroker broker) {
		broker.stop();
		runner(broker).run((context) -> {
			MqttClient client = context.getBean(MqttClient.class);
			HealthIndicator health = context.getBean("mqttHealthContributor", HealthIndicator.class);
			assertThat(context).hasNotFailed();
			await().atMost(Duration.ofSeconds(5)).until(() -> health.health().getStatus().equals(Status.UNKNOWN));
			broker.start();
			await().atMost(Duration.ofSeconds(30)).until(() -> client.getMqttsta() == 0);
		});
	}

	@Test
	void failFastStopsTheStartWhenTheBrokerIsDown(MqttBroker broker) {
		broker.stop();
		runner(broker).withPropertyValues("umqtt.fail-fast=true", "umqtt.connect-timeout=2s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("Cannot connect to " + broker.host() + ":" + broker.port());
		});
	}

	record Reading(String kind, double value) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final List<String> events = new CopyOnWriteArrayList<>();

		@MqttSubscribe(topics = "devices/{id}/telemetry", qos = 1)
		void reading(@TopicVariable("id") String id, @Payload Reading reading) {
			this.events.add("reading " + id + " " + reading.kind() + "=" + reading.value());
		}

		@MqttSubscribe(value = "${app.topic}", id = "placeholder")
		void placeholder(String text) {
			this.events.add("placeholder " + text);
		}

		@MqttSubscribe(topics = "raw/bytes", qos = 1)
		void bytes(byte[] payload) {
			this.events.add("bytes " + payload.length);
		}

		@MqttSubscribe(topics = "headers/+", qos = 2)
		void headers(@Header(MqttHeaders.TOPIC) String topic, @Header(MqttHeaders.QOS) int qos,
				@Headers Map<String, Object> all, String payload) {
			this.events.add("header " + topic + " qos=" + qos + " client=" + all.get(MqttHeaders.CLIENT));
		}

		@MqttSubscribe("whole/message")
		void message(Message<String> message) {
			this.events.add("message " + message.getHeaders().get(MqttHeaders.TOPIC) + " " + message.getPayload());
		}

		@MqttSubscribe("echo/request")
		@SendTo("echo/reply")
		String echo(String request) {
			return "pong:" + request;
		}

		@MqttSubscribe("echo/reply")
		void reply(String reply) {
			this.events.add("reply " + reply);
		}

		@MqttSubscribe("fails/now")
		void fails(String payload) {
			this.events.add("failed " + payload);
			throw new IllegalStateException("listener failure on purpose");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondClientListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		final MqttTemplate primaryTemplate;

		SecondClientListener(MqttTemplate primaryTemplate, @Qualifier("second") MqttTemplate secondTemplate) {
			this.primaryTemplate = primaryTemplate;
			assertThat(secondTemplate.getClient()).isNotSameAs(primaryTemplate.getClient());
		}

		@MqttSubscribe(topics = "second/#", client = "second", qos = 1)
		void onSecond(@Header(MqttHeaders.CLIENT) String client, String payload) {
			this.received.add(payload + " via " + client);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ConnectedEvents {

		final List<MqttConnectedEvent> events = new CopyOnWriteArrayList<>();

		@Bean
		ApplicationListener<MqttConnectedEvent> recordConnected() {
			return this.events::add;
		}

	}

}
