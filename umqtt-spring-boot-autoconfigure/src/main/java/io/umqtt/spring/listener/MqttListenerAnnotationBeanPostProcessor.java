package io.umqtt.spring.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.umqtt.spring.annotation.MqttSubscribe;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link MqttSubscribe @MqttSubscribe} methods on beans, resolves their
 * {@code ${...}} placeholders and topic variables, and registers each as an endpoint with
 * the {@link MqttListenerEndpointRegistry} once every singleton exists, so a listener
 * bean may also define the registry's collaborators (an error handler, say).
 */
public class MqttListenerAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private BeanFactory beanFactory;

	private MqttListenerEndpointRegistry registry;

	/** Endpoints found before every singleton existed; registered afterwards. */
	private final List<MqttListenerEndpoint> pending = new ArrayList<>();

	private boolean singletonsReady;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		Map<Method, MqttSubscribe> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<MqttSubscribe>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, MqttSubscribe.class));
		for (Map.Entry<Method, MqttSubscribe> entry : annotated.entrySet()) {
			Method method = AopUtils.selectInvocableMethod(entry.getKey(), bean.getClass());
			MqttListenerEndpoint endpoint = endpoint(bean, method, entry.getValue());
			synchronized (this.pending) {
				if (!this.singletonsReady) {
					// the registry's collaborators (an error handler, say) may be defined
					// by this very bean
					this.pending.add(endpoint);
					continue;
				}
			}
			registry().register(endpoint);
		}
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<MqttListenerEndpoint> endpoints;
		synchronized (this.pending) {
			this.singletonsReady = true;
			endpoints = new ArrayList<>(this.pending);
			this.pending.clear();
		}
		endpoints.forEach(registry()::register);
	}

	private MqttListenerEndpoint endpoint(Object bean, Method method, MqttSubscribe annotation) {
		List<TopicTemplate> topics = new ArrayList<>();
		for (String topic : annotation.topics()) {
			String resolved = resolve(topic);
			for (String one : StringUtils.commaDelimitedListToStringArray(resolved)) {
				if (!one.isBlank()) {
					topics.add(TopicTemplate.parse(one.trim()));
				}
			}
		}
		String id = resolve(annotation.id());
		if (id.isEmpty()) {
			id = method.getDeclaringClass().getName() + "." + method.getName()
					+ Arrays.toString(method.getParameterTypes());
		}
		if (annotation.retainHandling() < 0 || annotation.retainHandling() > 2) {
			throw new IllegalArgumentException("@MqttSubscribe(retainHandling = " + annotation.retainHandling()
					+ ") on " + method + ": retain handling is 0, 1 or 2 [MQTT-3.8.3-5]");
		}
		return new MqttListenerEndpoint(id, bean, method, topics, annotation.qos(), resolve(annotation.client()),
				resolve(annotation.group()), new io.umqtt.core.SubscribeOptions(annotation.noLocal(),
						annotation.retainAsPublished(), annotation.retainHandling()));
	}

	private String resolve(String value) {
		if (this.beanFactory instanceof ConfigurableBeanFactory configurable) {
			String resolved = configurable.resolveEmbeddedValue(value);
			return (resolved != null) ? resolved : "";
		}
		return value;
	}

	private MqttListenerEndpointRegistry registry() {
		if (this.registry == null) {
			this.registry = this.beanFactory.getBean(MqttListenerEndpointRegistry.class);
		}
		return this.registry;
	}

}
