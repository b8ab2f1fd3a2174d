package io.umqtt.spring.boot.autoconfigure;

import java.util.Map;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttClients;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.TemplateFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers a bean for each {@code umqtt.clients.<name>}: the client as
 * {@code <name>MqttClient} and its template as {@code <name>MqttTemplate}, both qualified
 * {@code @Qualifier("<name>")}.
 */
class NamedMqttClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	private Environment environment;

	private BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Map<String, Object> named = Binder.get(this.environment)
			.bind("umqtt.clients", Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		for (String name : named.keySet()) {
			if (MqttClients.PRIMARY.equals(name)) {
				throw new IllegalStateException("umqtt.clients." + name + ": '" + name
						+ "' is the primary client's name; configure it at the top level of umqtt.*");
			}
			RootBeanDefinition client = new RootBeanDefinition(MqttClient.class,
					() -> this.beanFactory.getBean(MqttClients.class).get(name));
			client.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			client.setDestroyMethodName(null);
			registry.registerBeanDefinition(name + "MqttClient", client);
			RootBeanDefinition template = new RootBeanDefinition(MqttTemplate.class,
					() -> this.beanFactory.getBean(TemplateFactory.class).get(name));
			template.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			registry.registerBeanDefinition(name + "MqttTemplate", template);
		}
	}

}
