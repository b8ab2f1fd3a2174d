package io.umqtt.spring.boot.autoconfigure;

import java.util.Locale;
import java.util.concurrent.Executor;

import io.micrometer.observation.ObservationRegistry;
import io.umqtt.spring.MqttClients;
import io.umqtt.spring.TemplateFactory;
import io.umqtt.spring.listener.ListenerFailures;
import io.umqtt.spring.listener.ListenerRetry;
import io.umqtt.spring.listener.LoggingMqttListenerErrorHandler;
import io.umqtt.spring.listener.MqttListenerAnnotationBeanPostProcessor;
import io.umqtt.spring.listener.MqttListenerEndpointRegistry;
import io.umqtt.spring.listener.MqttListenerErrorHandler;
import io.umqtt.spring.listener.MqttMessageHandlerMethodFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.validation.Validator;

/**
 * The {@code @MqttSubscribe} infrastructure, imported by {@link UmqttAutoConfiguration}
 * (as Spring Boot's {@code KafkaAnnotationDrivenConfiguration} is by its
 * auto-configuration): the post-processor that finds listener methods, the method factory
 * that resolves their arguments, the error handler, the endpoint registry with its retry,
 * executor and shutdown settings, and the listener failure meters. Every bean backs off
 * when the application defines its own.
 */
@Configuration(proxyBeanMethods = false)
class MqttAnnotationDrivenConfiguration {

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
			ObjectProvider<ObservationRegistry> observations, UmqttProperties properties,
			@Qualifier("applicationTaskExecutor") ObjectProvider<Executor> taskExecutor) {
		MqttListenerEndpointRegistry registry = new MqttListenerEndpointRegistry(clients,
				mqttMessageHandlerMethodFactory, errorHandler, templates::get, events);
		observations.ifAvailable(registry::setObservationRegistry);
		UmqttProperties.Listener listener = properties.getListener();
		if (listener.isConcurrent()) {
			taskExecutor.ifAvailable(registry::setExecutor);
		}
		registry.setRetry(new ListenerRetry(listener.getMaxAttempts(), listener.getBackoff(), listener.getMaxBackoff(),
				listener.getDeadLetterTopic()));
		registry.setShutdownTimeout(properties.getShutdownTimeout());
		registry.setCleanSession((name) -> MqttClients.PRIMARY.equals(name) ? properties.isCleanSession()
				: properties.getClients().get(name).isCleanSession());
		return registry;
	}

	/**
	 * Counts listener failures that leave a message unacknowledged, or an error handler
	 * that threw.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class ListenerMetersConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mqttListenerFailureMeters")
		io.micrometer.core.instrument.binder.MeterBinder mqttListenerFailureMeters(
				MqttListenerEndpointRegistry registry) {
			return (meters) -> {
				for (ListenerFailures.Kind kind : ListenerFailures.Kind.values()) {
					io.micrometer.core.instrument.FunctionCounter
						.builder("umqtt.listener.failures", registry.getFailures(), (failures) -> failures.count(kind))
						.description(
								"Listener failures that left a message unacknowledged, or whose error handler threw")
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

}
