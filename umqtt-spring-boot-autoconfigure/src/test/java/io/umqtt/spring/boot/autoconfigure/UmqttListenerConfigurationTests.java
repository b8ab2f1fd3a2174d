package io.umqtt.spring.boot.autoconfigure;

import io.umqtt.spring.annotation.MqttSubscribe;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listener configurations that cannot work fail the start-up with a message naming the
 * setting: retry bounds, a dead-letter topic that is invalid or that the listener itself
 * would receive, and a shared-subscription group that would make another filter. Nothing
 * connects anywhere.
 */
class UmqttListenerConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class))
		.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=1");

	@Test
	void maxAttemptsOutsideItsBoundsFailsAtBinding() {
		this.runner.withPropertyValues("umqtt.listener.max-attempts=0")
			.run((context) -> assertThat(context).getFailure()
				.extracting(UmqttListenerConfigurationTests::innermost, InstanceOfAssertFactories.THROWABLE)
				.hasMessageContaining("must be between 1 and 100, was 0"));
		this.runner.withPropertyValues("umqtt.listener.max-attempts=1000000")
			.run((context) -> assertThat(context).getFailure()
				.extracting(UmqttListenerConfigurationTests::innermost, InstanceOfAssertFactories.THROWABLE)
				.hasMessageContaining("must be between 1 and 100, was 1000000"));
	}

	@Test
	void aFirstBackoffAboveTheMaximumFailsTheStartUp() {
		this.runner.withPropertyValues("umqtt.listener.backoff=10m", "umqtt.listener.max-backoff=5s")
			.run((context) -> assertThat(context).getFailure()
				.extracting(UmqttListenerConfigurationTests::innermost, InstanceOfAssertFactories.THROWABLE)
				.hasMessageContaining("umqtt.listener.backoff must be between 0 and umqtt.listener.max-backoff"));
		this.runner.withPropertyValues("umqtt.listener.max-backoff=2h")
			.run((context) -> assertThat(context).getFailure()
				.extracting(UmqttListenerConfigurationTests::innermost, InstanceOfAssertFactories.THROWABLE)
				.hasMessageContaining("must be between 0 and PT1H, was PT2H"));
	}

	@Test
	void aDeadLetterTopicWithAWildcardFailsTheStartUp() {
		this.runner.withPropertyValues("umqtt.listener.dead-letter-topic=dead/+/{topic}")
			.run((context) -> assertThat(context).getFailure()
				.extracting(UmqttListenerConfigurationTests::innermost, InstanceOfAssertFactories.THROWABLE)
				.hasMessageContaining("umqtt.listener.dead-letter-topic 'dead/+/{topic}' is not a valid topic name")
				.hasMessageContaining("wildcard '+'"));
	}

	@Test
	void aDeadLetterTopicTheListenersOwnFilterMatchesFailsTheStartUp() {
		this.runner.withUserConfiguration(Everything.class)
			.withPropertyValues("umqtt.listener.dead-letter-topic={topic}/dead")
			.run((context) -> assertThat(context).getFailure()
				.extracting(UmqttListenerConfigurationTests::innermost, InstanceOfAssertFactories.THROWABLE)
				.hasMessageContaining("resolves to 'sensors/#/dead' for MQTT listener 'everything'")
				.hasMessageContaining("own filter 'sensors/#' matches it"));
		this.runner.withUserConfiguration(Everything.class)
			.withPropertyValues("umqtt.listener.dead-letter-topic=sensors/dead")
			.run((context) -> assertThat(context).getFailure()
				.extracting(UmqttListenerConfigurationTests::innermost, InstanceOfAssertFactories.THROWABLE)
				.hasMessageContaining("resolves to 'sensors/dead'"));
	}

	@Test
	void aDeadLetterTopicAnotherListenerOfTheSameClientMatchesFailsTheStartUpNamingBoth() {
		this.runner.withUserConfiguration(AlertsAndDeadLetters.class)
			.withPropertyValues("umqtt.listener.dead-letter-topic={topic}/dead")
			.run((context) -> assertThat(context).getFailure()
				.extracting(UmqttListenerConfigurationTests::innermost, InstanceOfAssertFactories.THROWABLE)
				.hasMessageContaining("resolves to 'alerts/+/dead' for MQTT listener 'alerts'")
				.hasMessageContaining("MQTT listener 'deadLetters' on the same client subscribes to '+/+/dead'"));
	}

	@Test
	void aDeadLetterTopicOnlyAListenerOfAnotherClientMatchesIsAccepted() {
		this.runner.withUserConfiguration(AlertsOnAnotherClient.class)
			.withPropertyValues("umqtt.clients.other.client-id=other", "umqtt.listener.dead-letter-topic={topic}/dead")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aDeadLetterTopicOutsideTheListenersFilterIsAccepted() {
		this.runner.withUserConfiguration(Everything.class)
			.withPropertyValues("umqtt.listener.dead-letter-topic=dlt/{topic}")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aSharedGroupWithASlashFailsTheStartUp() {
		this.runner.withUserConfiguration(SlashGroup.class)
			.run((context) -> assertThat(context).getFailure()
				.extracting(UmqttListenerConfigurationTests::innermost, InstanceOfAssertFactories.THROWABLE)
				.hasMessageContaining("@MqttSubscribe(group = \"team/a\")")
				.hasMessageContaining("must not contain '/', '+' or '#' [MQTT-4.8.2-2]"));
	}

	@Test
	void aSharedGroupWithAWildcardFailsTheStartUp() {
		this.runner.withUserConfiguration(WildcardGroup.class)
			.run((context) -> assertThat(context).getFailure()
				.extracting(UmqttListenerConfigurationTests::innermost, InstanceOfAssertFactories.THROWABLE)
				.hasMessageContaining("@MqttSubscribe(group = \"team+\")"));
	}

	private static Throwable innermost(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@Configuration(proxyBeanMethods = false)
	static class AlertsAndDeadLetters {

		@MqttSubscribe(topics = "alerts/+", id = "alerts")
		void alerts(String payload) {
		}

		@MqttSubscribe(topics = "+/+/dead", id = "deadLetters")
		void deadLetters(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AlertsOnAnotherClient {

		@MqttSubscribe(topics = "alerts/+", id = "alerts", client = "other")
		void alerts(String payload) {
		}

		@MqttSubscribe(topics = "+/+/dead", id = "deadLetters")
		void deadLetters(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Everything {

		@MqttSubscribe(topics = "sensors/#", id = "everything")
		void on(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SlashGroup {

		@MqttSubscribe(topics = "jobs/+", group = "team/a")
		void on(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WildcardGroup {

		@MqttSubscribe(topics = "jobs/+", group = "team+")
		void on(String payload) {
		}

	}

}
