package io.umqtt.spring.boot.autoconfigure;

import java.util.List;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttClients;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.boot.autoconfigure.embedded.EmbeddedMqttBroker;
import io.umqtt.spring.boot.autoconfigure.embedded.EmbeddedMqttBrokerAutoConfiguration;
import io.umqtt.spring.boot.autoconfigure.health.MqttHealthContributorAutoConfiguration;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions and back-off of the auto-configuration, without connecting anywhere: the
 * runner's contexts are not started, so no client connects.
 */
class UmqttAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(UmqttAutoConfiguration.class, MqttHealthContributorAutoConfiguration.class))
		.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=1");

	@Test
	void primaryClientAndTemplateFromProperties() {
		this.runner
			.withPropertyValues("umqtt.client-id=app-1", "umqtt.keepalive=30", "umqtt.user=u", "umqtt.password=p")
			.run((context) -> {
				assertThat(context).hasSingleBean(MqttClients.class);
				MqttClient client = context.getBean(MqttClient.class);
				assertThat(client.clientId()).isEqualTo("app-1");
				assertThat(client.server()).isEqualTo("127.0.0.1");
				assertThat(client.port()).isEqualTo(1);
				assertThat(client.toString()).doesNotContain("=p,").contains("******");
				assertThat(context.getBean(MqttTemplate.class).getClient()).isSameAs(client);
				assertThat(context).hasSingleBean(MqttListenerEndpointRegistry.class);
			});
	}

	@Test
	void beanMethodsNameNoOptionalLibraryInTheirSignatures() {
		// Spring reads every @Bean method's signature of a configuration class it
		// processes: a
		// type from an optional library there breaks applications that do not have it
		List<String> optional = List.of("tools.jackson", "io.moquette", "io.micrometer.core",
				"org.springframework.boot.actuate", "org.springframework.boot.health", "org.testcontainers",
				"org.springframework.boot.docker");
		for (java.lang.reflect.Method method : UmqttAutoConfiguration.class.getDeclaredMethods()) {
			if (method.isAnnotationPresent(Bean.class)) {
				String signature = method.toGenericString();
				assertThat(optional).as(signature).noneMatch(signature::contains);
			}
		}
	}

	@Test
	void portZeroMeansTheProtocolDefault() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class))
			.withPropertyValues("umqtt.server=broker.example", "umqtt.embedded.enabled=false")
			.run((context) -> assertThat(context.getBean(MqttClient.class).port()).isEqualTo(1883));
	}

	@Test
	void namedClientsAreQualifiedBeansInheritingTheServer() {
		this.runner.withPropertyValues("umqtt.clients.sensors.client-id=s-1", "umqtt.clients.alerts.port=2")
			.withUserConfiguration(NamedInjection.class)
			.run((context) -> {
				MqttClients clients = context.getBean(MqttClients.class);
				assertThat(clients.asMap()).containsOnlyKeys("default", "sensors", "alerts");
				NamedInjection injected = context.getBean(NamedInjection.class);
				assertThat(injected.sensors.clientId()).isEqualTo("s-1");
				assertThat(injected.sensors.server()).isEqualTo("127.0.0.1");
				assertThat(injected.sensors.port()).isEqualTo(1);
				assertThat(injected.alerts.port()).isEqualTo(2);
				assertThat(injected.sensorsTemplate.getClient()).isSameAs(injected.sensors);
				assertThat(injected.primary).isSameAs(clients.primary());
			});
	}

	@Test
	void customizersAreAppliedInOrder() {
		// applied in @Order: first sets 1, then second sets 2
		this.runner.withUserConfiguration(Customizers.class)
			.run((context) -> assertThat(context.getBean(MqttClient.class).port()).isEqualTo(2));
	}

	@Test
	void userDefinedBeansWin() {
		this.runner.withUserConfiguration(OwnTemplate.class)
			.run((context) -> assertThat(context.getBean("mqttTemplate"))
				.isSameAs(context.getBean(OwnTemplate.class).template));
	}

	@Test
	void embeddedBrokerStartsOnlyWithoutAServer() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(EmbeddedMqttBrokerAutoConfiguration.class, UmqttAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(EmbeddedMqttBroker.class);
				EmbeddedMqttBroker broker = context.getBean(EmbeddedMqttBroker.class);
				assertThat(broker.isRunning()).isTrue();
				MqttClient client = context.getBean(MqttClient.class);
				assertThat(client.server()).isEqualTo("127.0.0.1");
				assertThat(client.port()).isEqualTo(broker.getPort());
			});
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(EmbeddedMqttBroker.class));
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(EmbeddedMqttBrokerAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withPropertyValues("umqtt.embedded.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(EmbeddedMqttBroker.class);
				assertThat(context.getBean(MqttClient.class).server()).isEqualTo("localhost");
			});
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(EmbeddedMqttBrokerAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.moquette"))
			.run((context) -> assertThat(context).doesNotHaveBean(EmbeddedMqttBroker.class));
	}

	@Test
	void connectionDetailsFromElsewhereTurnTheEmbeddedBrokerOff() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(EmbeddedMqttBrokerAutoConfiguration.class, UmqttAutoConfiguration.class))
			.withBean(UmqttConnectionDetails.class, () -> new UmqttConnectionDetails() {

				@Override
				public String getServer() {
					return "broker.internal";
				}

				@Override
				public int getPort() {
					return 11883;
				}

			})
			.run((context) -> {
				assertThat(context).doesNotHaveBean(EmbeddedMqttBroker.class);
				assertThat(context.getBean(MqttClient.class).server()).isEqualTo("broker.internal");
				assertThat(context.getBean(MqttClient.class).port()).isEqualTo(11883);
			});
	}

	@Test
	void configurationMetadataDescribesEveryKey() throws Exception {
		String metadata = new String(
				getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json").readAllBytes(),
				java.nio.charset.StandardCharsets.UTF_8);
		for (String key : java.util.List.of("umqtt.server", "umqtt.port", "umqtt.client-id", "umqtt.user",
				"umqtt.password", "umqtt.keepalive", "umqtt.ssl.enabled", "umqtt.ssl.bundle", "umqtt.reconn",
				"umqtt.version", "umqtt.clean-session", "umqtt.last-will.topic", "umqtt.last-will.msg",
				"umqtt.last-will.retain", "umqtt.last-will.qos", "umqtt.clients", "umqtt.fail-fast",
				"umqtt.shutdown-timeout", "umqtt.embedded.enabled", "umqtt.ssl.verify-hostname",
				"umqtt.inherit-credentials", "management.health.mqtt.show-subscriptions")) {
			assertThat(metadata).contains("\"name\": \"" + key + "\"");
		}
	}

	@Test
	void healthIsOneIndicatorForOneClientAndACompositeForMany() {
		this.runner
			.run((context) -> assertThat(context.getBean("mqttHealthContributor")).isInstanceOf(HealthIndicator.class));
		this.runner.withPropertyValues("umqtt.clients.other.client-id=o").run((context) -> {
			HealthContributor contributor = context.getBean("mqttHealthContributor", HealthContributor.class);
			assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
			assertThat(((CompositeHealthContributor) contributor).getContributor("default")).isNotNull();
			assertThat(((CompositeHealthContributor) contributor).getContributor("other")).isNotNull();
		});
		this.runner.withPropertyValues("management.health.mqtt.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("mqttHealthContributor"));
	}

	@Test
	void passwordsAreSanitized() {
		this.runner.run((context) -> {
			SanitizingFunction function = context.getBean(SanitizingFunction.class);
			SanitizableData password = new SanitizableData(null, "umqtt.clients.x.password", "secret");
			SanitizableData server = new SanitizableData(null, "umqtt.server", "host");
			assertThat(function.apply(password).getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(function.apply(server).getValue()).isEqualTo("host");
		});
	}

	@Test
	void passwordsStayHiddenInTheConfigpropsEndpointEvenWhenValuesAreShown() {
		this.runner
			.withPropertyValues("umqtt.user=device", "umqtt.password=top-secret", "umqtt.clients.other.user=other",
					"umqtt.clients.other.password=also-secret")
			.run((context) -> {
				org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint endpoint = new org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint(
						context.getBeanProvider(SanitizingFunction.class).orderedStream().toList(),
						org.springframework.boot.actuate.endpoint.Show.ALWAYS);
				endpoint.setApplicationContext(context);
				String report = endpoint.configurationPropertiesWithPrefix("umqtt").toString()
						+ String.valueOf(endpoint.configurationPropertiesWithPrefix("umqtt")
							.getContexts()
							.values()
							.stream()
							.flatMap((beans) -> beans.getBeans().values().stream())
							.map((bean) -> bean.getProperties().toString())
							.toList());
				assertThat(report).contains("device", "******").doesNotContain("top-secret", "also-secret");
			});
	}

	@Test
	void invalidKeepaliveFailsWithAClearMessage() {
		this.runner.withPropertyValues("umqtt.keepalive=70000").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("0 to 65535 seconds");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class NamedInjection {

		final MqttClient sensors;

		final MqttClient alerts;

		final MqttClient primary;

		final MqttTemplate sensorsTemplate;

		NamedInjection(@Qualifier("sensors") MqttClient sensors, @Qualifier("alerts") MqttClient alerts,
				MqttClient primary, @Qualifier("sensors") MqttTemplate sensorsTemplate) {
			this.sensors = sensors;
			this.alerts = alerts;
			this.primary = primary;
			this.sensorsTemplate = sensorsTemplate;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Customizers {

		@Bean
		@Order(2)
		MqttClientCustomizer second() {
			return (name, builder) -> builder.port(2);
		}

		@Bean
		@Order(1)
		MqttClientCustomizer first() {
			return (name, builder) -> builder.port(1);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTemplate {

		MqttTemplate template;

		@Bean
		MqttTemplate mqttTemplate(MqttClients clients) {
			this.template = new MqttTemplate(clients.primary(),
					new org.springframework.messaging.converter.StringMessageConverter());
			return this.template;
		}

	}

}
