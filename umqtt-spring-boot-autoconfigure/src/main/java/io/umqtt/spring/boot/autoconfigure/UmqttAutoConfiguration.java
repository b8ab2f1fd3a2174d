package io.umqtt.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.DefaultMqttHeaderMapper;
import io.umqtt.spring.MqttClients;
import io.umqtt.spring.MqttHeaderMapper;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.TemplateFactory;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;

/**
 * Auto-configuration of umqtt: the clients of {@code umqtt.*} (the {@code @Primary}
 * {@code mqttClient} and one bean per {@code umqtt.clients.<name>}), their
 * {@link MqttTemplate}s (through a {@link TemplateFactory}) and their lifecycle; the
 * {@code @MqttSubscribe} infrastructure comes from
 * {@link MqttAnnotationDrivenConfiguration}, the embedded broker from its own
 * auto-configuration. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration" })
@ConditionalOnClass(MqttClient.class)
@EnableConfigurationProperties(UmqttProperties.class)
@Import({ MqttAnnotationDrivenConfiguration.class, NamedMqttClientsRegistrar.class })
public final class UmqttAutoConfiguration {

	/**
	 * The properties, unless the application, a service connection or the embedded
	 * broker's auto-configuration (which runs before this one) gave connection details.
	 */
	@Bean
	@ConditionalOnMissingBean(UmqttConnectionDetails.class)
	UmqttConnectionDetails umqttConnectionDetails(UmqttProperties properties) {
		return new PropertiesUmqttConnectionDetails(properties);
	}

	@Bean(destroyMethod = "disconnectAll")
	@ConditionalOnMissingBean
	MqttClients mqttClients(UmqttProperties properties, UmqttConnectionDetails connectionDetails,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<MqttClientCustomizer> customizers,
			Environment environment) {
		return new MqttClientFactory(properties, connectionDetails, sslBundles.getIfAvailable(),
				customizers.orderedStream().toList(), environment.getProperty("spring.application.name"))
			.createClients();
	}

	@Bean(destroyMethod = "")
	@Primary
	@ConditionalOnMissingBean(name = "mqttClient")
	MqttClient mqttClient(MqttClients clients) {
		return clients.primary();
	}

	@Bean
	@ConditionalOnMissingBean
	MqttClientsLifecycle mqttClientsLifecycle(MqttClients clients, UmqttProperties properties,
			ApplicationEventPublisher events, ObjectProvider<MqttListenerEndpointRegistry> listenerRegistry) {
		return new MqttClientsLifecycle(clients, properties, events, listenerRegistry);
	}

	@Bean
	@ConditionalOnMissingBean(name = "mqttMessageConverter")
	MessageConverter mqttMessageConverter(BeanFactory beanFactory) {
		// Jackson is optional: its types stay out of this method's signature, or an
		// application
		// without Jackson could not even introspect it
		List<MessageConverter> converters = new ArrayList<>();
		converters.add(new ByteArrayMessageConverter());
		converters.add(new StringMessageConverter());
		if (isPresent("tools.jackson.databind.json.JsonMapper")) {
			converters.add(JacksonConverters.create(beanFactory));
		}
		return new CompositeMessageConverter(converters);
	}

	@Bean
	@ConditionalOnMissingBean
	MqttHeaderMapper mqttHeaderMapper() {
		return new DefaultMqttHeaderMapper();
	}

	@Bean
	TemplateFactory mqttTemplateFactory(MqttClients clients, MessageConverter mqttMessageConverter,
			ObjectProvider<io.micrometer.observation.ObservationRegistry> observations,
			MqttHeaderMapper mqttHeaderMapper, UmqttProperties properties) {
		TemplateFactory templates = new TemplateFactory(clients, mqttMessageConverter,
				observations.getIfAvailable(() -> io.micrometer.observation.ObservationRegistry.NOOP));
		templates.setHeaderMapper(mqttHeaderMapper);
		templates.setReplyTimeout(properties.getTemplate().getReplyTimeout());
		return templates;
	}

	@Bean
	@Primary
	@ConditionalOnMissingBean(name = "mqttTemplate")
	MqttTemplate mqttTemplate(TemplateFactory templates) {
		return templates.get(MqttClients.PRIMARY);
	}

	private static boolean isPresent(String className) {
		return org.springframework.util.ClassUtils.isPresent(className, UmqttAutoConfiguration.class.getClassLoader());
	}

	/** Keeps Jackson types out of the method signatures that load without Jackson. */
	private static final class JacksonConverters {

		static MessageConverter create(BeanFactory beanFactory) {
			tools.jackson.databind.json.JsonMapper mapper = beanFactory
				.getBeanProvider(tools.jackson.databind.json.JsonMapper.class)
				.getIfAvailable();
			return (mapper != null) ? new JacksonJsonMessageConverter(mapper) : new JacksonJsonMessageConverter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SanitizingFunction.class)
	static class SanitizingConfiguration {

		/**
		 * Hides every value whose key ends in "password" (umqtt.password,
		 * umqtt.clients.x.password, ...) in /actuator/configprops and /actuator/env, also
		 * where an application chooses to show values.
		 */
		@Bean
		SanitizingFunction umqttPasswordSanitizingFunction() {
			return (data) -> data.getKey().toLowerCase(Locale.ROOT).endsWith("password") ? data.withSanitizedValue()
					: data;
		}

	}

}
