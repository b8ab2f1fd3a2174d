package io.umqtt.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttClients;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.boot.autoconfigure.embedded.EmbeddedMqttBroker;
import io.umqtt.spring.boot.autoconfigure.embedded.OnNoServerConfiguredCondition;
import io.umqtt.spring.listener.LoggingMqttListenerErrorHandler;
import io.umqtt.spring.listener.MqttListenerAnnotationBeanPostProcessor;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;
import io.umqtt.spring.listener.MqttListenerErrorHandler;
import io.umqtt.spring.listener.MqttMessageHandlerMethodFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.core.env.Environment;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.validation.Validator;

/**
 * Auto-configuration of umqtt: the clients of {@code umqtt.*} (the {@code @Primary}
 * {@code mqttClient} and one bean per {@code umqtt.clients.<name>}), their
 * {@link MqttTemplate}s, their lifecycle, the {@code @MqttSubscribe} infrastructure, and an
 * embedded broker when no server is configured. Every bean backs off when the application
 * defines its own.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration" })
@ConditionalOnClass(MqttClient.class)
@EnableConfigurationProperties(UmqttProperties.class)
// Nested and imported classes are registered before this class's own beans, so the embedded
// broker's condition sees only connection details from the application or a service connection.
@Import({ UmqttAutoConfiguration.EmbeddedBrokerConfiguration.class, NamedMqttClientsRegistrar.class })
public final class UmqttAutoConfiguration {

	/** The embedded broker when it runs, else the properties. */
	@Bean
	@ConditionalOnMissingBean(UmqttConnectionDetails.class)
	UmqttConnectionDetails umqttConnectionDetails(UmqttProperties properties,
			ObjectProvider<EmbeddedMqttBroker> embeddedBroker) {
		EmbeddedMqttBroker broker = embeddedBroker.getIfAvailable();
		if (broker == null) {
			return new PropertiesUmqttConnectionDetails(properties);
		}
		return new UmqttConnectionDetails() {

			@Override
			public String getServer() {
				return broker.getHost();
			}

			@Override
			public int getPort() {
				return broker.getPort();
			}

		};
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
		// Jackson is optional: its types stay out of this method's signature, or an application
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
	TemplateFactory mqttTemplateFactory(MqttClients clients, MessageConverter mqttMessageConverter,
			ObjectProvider<io.micrometer.observation.ObservationRegistry> observations) {
		return new TemplateFactory(clients, mqttMessageConverter,
				observations.getIfAvailable(() -> io.micrometer.observation.ObservationRegistry.NOOP));
	}

	@Bean
	@Primary
	@ConditionalOnMissingBean(name = "mqttTemplate")
	MqttTemplate mqttTemplate(TemplateFactory templates) {
		return templates.get(MqttClients.PRIMARY);
	}

	@Bean
	@ConditionalOnMissingBean
	MqttListenerErrorHandler mqttListenerErrorHandler() {
		return new LoggingMqttListenerErrorHandler();
	}

	@Bean
	@ConditionalOnMissingBean(name = "mqttMessageHandlerMethodFactory")
	MessageHandlerMethodFactory mqttMessageHandlerMethodFactory(MessageConverter mqttMessageConverter,
			ObjectProvider<Validator> validator, BeanFactory beanFactory) {
		MqttMessageHandlerMethodFactory factory = new MqttMessageHandlerMethodFactory();
		factory.setMessageConverter(mqttMessageConverter);
		validator.ifUnique(factory::setValidator);
		factory.setBeanFactory(beanFactory);
		factory.afterPropertiesSet();
		return factory;
	}

	@Bean
	@ConditionalOnMissingBean
	MqttListenerEndpointRegistry mqttListenerEndpointRegistry(MqttClients clients,
			MessageHandlerMethodFactory mqttMessageHandlerMethodFactory, MqttListenerErrorHandler errorHandler,
			TemplateFactory templates, ApplicationEventPublisher events,
			ObjectProvider<io.micrometer.observation.ObservationRegistry> observations, UmqttProperties properties,
			@org.springframework.beans.factory.annotation.Qualifier("applicationTaskExecutor") ObjectProvider<java.util.concurrent.Executor> taskExecutor) {
		MqttListenerEndpointRegistry registry = new MqttListenerEndpointRegistry(clients,
				mqttMessageHandlerMethodFactory, errorHandler, templates::get, events);
		observations.ifAvailable(registry::setObservationRegistry);
		UmqttProperties.Listener listener = properties.getListener();
		if (listener.isConcurrent()) {
			taskExecutor.ifAvailable(registry::setExecutor);
		}
		registry.setRetry(new io.umqtt.spring.listener.ListenerRetry(listener.getMaxAttempts(), listener.getBackoff(),
				listener.getMaxBackoff(), listener.getDeadLetterTopic()));
		registry.setShutdownTimeout(properties.getShutdownTimeout());
		registry.setCleanSession((name) -> MqttClients.PRIMARY.equals(name) ? properties.isCleanSession()
				: properties.getClients().get(name).isCleanSession());
		return registry;
	}

	/** Counts listener failures that leave a message unacknowledged, or an error handler that threw. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class ListenerMetersConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mqttListenerFailureMeters")
		io.micrometer.core.instrument.binder.MeterBinder mqttListenerFailureMeters(
				MqttListenerEndpointRegistry registry) {
			return (meters) -> {
				for (io.umqtt.spring.listener.ListenerFailures.Kind kind : io.umqtt.spring.listener.ListenerFailures.Kind
					.values()) {
					io.micrometer.core.instrument.FunctionCounter
						.builder("umqtt.listener.failures", registry.getFailures(), (failures) -> failures.count(kind))
						.description("Listener failures that left a message unacknowledged, or whose error handler threw")
						.tag("kind", kind.name().toLowerCase(Locale.ROOT).replace('_', '-'))
						.register(meters);
				}
			};
		}

	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static MqttListenerAnnotationBeanPostProcessor mqttListenerAnnotationBeanPostProcessor() {
		return new MqttListenerAnnotationBeanPostProcessor();
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

	/** One {@link MqttTemplate} per configured client, made once. */
	public static final class TemplateFactory {

		private final MqttClients clients;

		private final MessageConverter converter;

		private final Map<String, MqttTemplate> templates = new ConcurrentHashMap<>();

		private final io.micrometer.observation.ObservationRegistry observations;

		TemplateFactory(MqttClients clients, MessageConverter converter,
				io.micrometer.observation.ObservationRegistry observations) {
			this.clients = clients;
			this.converter = converter;
			this.observations = observations;
		}

		/** The template of the client called {@code name}. */
		public MqttTemplate get(String name) {
			String key = (name == null || name.isEmpty()) ? MqttClients.PRIMARY : name;
			return this.templates.computeIfAbsent(key, (k) -> {
				MqttTemplate template = new MqttTemplate(this.clients.get(k), this.converter);
				template.setObservationRegistry(this.observations, k);
				return template;
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.moquette.broker.Server")
	@ConditionalOnProperty(prefix = "umqtt.embedded", name = "enabled", matchIfMissing = true)
	@Conditional(OnNoServerConfiguredCondition.class)
	@ConditionalOnMissingBean(UmqttConnectionDetails.class)
	static class EmbeddedBrokerConfiguration {

		@Bean(initMethod = "start", destroyMethod = "stop")
		@ConditionalOnMissingBean
		EmbeddedMqttBroker embeddedMqttBroker(UmqttProperties properties) {
			return new EmbeddedMqttBroker(properties.getEmbedded().getPort());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SanitizingFunction.class)
	static class SanitizingConfiguration {

		/**
		 * Hides every value whose key ends in "password" (umqtt.password,
		 * umqtt.clients.x.password, ...) in /actuator/configprops and /actuator/env, also where an
		 * application chooses to show values.
		 */
		@Bean
		SanitizingFunction umqttPasswordSanitizingFunction() {
			return (data) -> data.getKey().toLowerCase(Locale.ROOT).endsWith("password") ? data.withSanitizedValue()
					: data;
		}

	}

}
