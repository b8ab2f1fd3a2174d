package io.umqtt.spring.listener;

import java.util.Map;

import io.umqtt.spring.MqttHeaders;
import io.umqtt.spring.annotation.TopicVariable;

import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Resolves {@link TopicVariable @TopicVariable} parameters from the values the adapter
 * put in the {@link MqttHeaders#TOPIC_VARIABLES} header, converted to the parameter's
 * type.
 */
public class TopicVariableArgumentResolver implements HandlerMethodArgumentResolver {

	private final ConversionService conversionService;

	public TopicVariableArgumentResolver() {
		this(DefaultConversionService.getSharedInstance());
	}

	public TopicVariableArgumentResolver(ConversionService conversionService) {
		this.conversionService = conversionService;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.hasParameterAnnotation(TopicVariable.class);
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, Message<?> message) {
		String name = parameter.getParameterAnnotation(TopicVariable.class).value();
		Object variables = message.getHeaders().get(MqttHeaders.TOPIC_VARIABLES);
		Object value = (variables instanceof Map<?, ?> map) ? map.get(name) : null;
		if (value == null) {
			throw new MessageHandlingException(message, "No topic variable '" + name + "' in the subscription of "
					+ parameter.getMethod() + "; declare it in the filter, like devices/{" + name + "}/telemetry");
		}
		return this.conversionService.convert(value, parameter.getParameterType());
	}

}
