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
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link MqttSubscribe @MqttSubscribe} methods on beans, resolves their {@code ${...}}
 * placeholders and topic variables, and registers each as an endpoint with the
 * {@link MqttListenerEndpointRegistry}, looked up lazily so that clients are made first.
 */
public class MqttListenerAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware {

	private BeanFactory beanFactory;

	private MqttListenerEndpointRegistry registry;

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
			registry().register(endpoint(bean, method, entry.getValue()));
		}
		return bean;
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
		return new MqttListenerEndpoint(id, bean, method, topics, annotation.qos(), resolve(annotation.client()),
				resolve(annotation.group()));
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
