package io.umqtt.spring.listener;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

import io.umqtt.core.MqttMessage;
import io.umqtt.spring.MqttHeaders;
import io.umqtt.spring.annotation.TopicVariable;
import org.jspecify.annotations.Nullable;

import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.ReflectionUtils;

/**
 * Invokes a listener method whose parameters need no conversion, no validation and no
 * expression, with the arguments taken straight from the MQTT message: the payload as
 * {@code byte[]}, the MQTT facts as {@code @Header} parameters of their own types, and
 * topic variables as {@code String}s. These are the arguments spring-messaging's
 * resolvers would give, without looking up a resolver, reading the annotations again and
 * building the header map for every message.
 * <p>
 * {@link #of} decides once, when the listener is registered; a method with any other
 * parameter is always invoked through its {@link InvocableHandlerMethod}. A message this
 * invoker cannot take as it is (an empty payload, which spring-messaging refuses for a
 * required payload, or a topic variable missing from the topic) goes that way too, so
 * errors are spring-messaging's own.
 */
final class DirectListenerInvoker {

	/** Where one argument comes from. */
	private interface Argument {

		/**
		 * The argument's value, or {@link #UNRESOLVED} to let spring-messaging resolve
		 * the call.
		 */
		Object resolve(MqttMessage message, String clientName, Map<String, String> variables);

	}

	static final Object UNRESOLVED = new Object();

	private final Object bean;

	private final Method method;

	private final Argument[] arguments;

	private final boolean needsVariables;

	private final TopicTemplate topic;

	private DirectListenerInvoker(Object bean, Method method, Argument[] arguments, boolean needsVariables,
			TopicTemplate topic) {
		this.bean = bean;
		this.method = method;
		this.arguments = arguments;
		this.needsVariables = needsVariables;
		this.topic = topic;
	}

	/**
	 * An invoker for {@code handlerMethod}, or {@code null} when one of its parameters
	 * needs spring-messaging's resolution.
	 * @param handlerMethod the method as spring-messaging would invoke it (same bean,
	 * same method)
	 * @param topic the subscription's topic template, for topic variables
	 */
	static @Nullable DirectListenerInvoker of(InvocableHandlerMethod handlerMethod, TopicTemplate topic) {
		MethodParameter[] parameters = handlerMethod.getMethodParameters();
		Argument[] arguments = new Argument[parameters.length];
		boolean needsVariables = false;
		for (int i = 0; i < parameters.length; i++) {
			MethodParameter parameter = parameters[i];
			Annotation[] annotations = parameter.getParameterAnnotations();
			if (annotations.length > 1) {
				return null;
			}
			Annotation annotation = (annotations.length == 1) ? annotations[0] : null;
			Class<?> type = parameter.getParameterType();
			if (annotation == null || annotation instanceof Payload) {
				if (type != byte[].class || (annotation != null && (!((Payload) annotation).expression().isEmpty()
						|| !((Payload) annotation).value().isEmpty()))) {
					return null;
				}
				arguments[i] = (message, clientName, variables) -> (message.payload().length > 0) ? message.payload()
						: UNRESOLVED;
			}
			else if (annotation instanceof Header header) {
				arguments[i] = header(header, type);
				if (arguments[i] == null) {
					return null;
				}
			}
			else if (annotation instanceof TopicVariable variable && type == String.class) {
				String name = variable.value();
				needsVariables = true;
				arguments[i] = (message, clientName, variables) -> {
					String value = variables.get(name);
					return (value != null) ? value : UNRESOLVED;
				};
			}
			else {
				return null;
			}
		}
		Method method = BridgeMethodResolver.findBridgedMethod(handlerMethod.getMethod());
		ReflectionUtils.makeAccessible(method);
		return new DirectListenerInvoker(handlerMethod.getBean(), method, arguments, needsVariables, topic);
	}

	/**
	 * The MQTT fact a {@code @Header} parameter names, when its type takes the value as
	 * it is.
	 */
	private static @Nullable Argument header(Header header, Class<?> type) {
		String name = header.name().isEmpty() ? header.value() : header.name();
		boolean text = type == String.class;
		boolean number = type == int.class || type == Integer.class || type == Object.class;
		boolean flag = type == boolean.class || type == Boolean.class || type == Object.class;
		return switch (name) {
			case MqttHeaders.TOPIC ->
				(text || type == Object.class) ? (message, client, vars) -> message.topic() : null;
			case MqttHeaders.CLIENT -> (text || type == Object.class) ? (message, client, vars) -> client : null;
			case MqttHeaders.QOS -> number ? (message, client, vars) -> message.qos() : null;
			case MqttHeaders.MESSAGE_ID -> number ? (message, client, vars) -> message.messageId() : null;
			case MqttHeaders.RETAINED -> flag ? (message, client, vars) -> message.retain() : null;
			case MqttHeaders.DUPLICATE -> flag ? (message, client, vars) -> message.dup() : null;
			default -> null;
		};
	}

	/**
	 * Invokes the method with the arguments taken from {@code message}.
	 * @param message the received message
	 * @param clientName the name of the client that received it
	 * @return the method's return value, or {@link #UNRESOLVED} when an argument could
	 * not be taken as it is: then nothing was invoked
	 * @throws Exception what the method threw
	 */
	Object invoke(MqttMessage message, String clientName) throws Exception {
		Map<String, String> variables = this.needsVariables ? this.topic.variables(message.topic()) : Map.of();
		Object[] args = new Object[this.arguments.length];
		for (int i = 0; i < args.length; i++) {
			Object value = this.arguments[i].resolve(message, clientName, variables);
			if (value == UNRESOLVED) {
				return UNRESOLVED;
			}
			args[i] = value;
		}
		try {
			return this.method.invoke(this.bean, args);
		}
		catch (InvocationTargetException ex) {
			// thrown as spring-messaging's InvocableHandlerMethod throws it
			Throwable target = ex.getTargetException();
			if (target instanceof Exception exception) {
				throw exception;
			}
			if (target instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException("Invocation failure", target);
		}
	}

	/** Whether {@code result} says the message was left for spring-messaging. */
	static boolean unresolved(Object result) {
		return result == UNRESOLVED;
	}

}
