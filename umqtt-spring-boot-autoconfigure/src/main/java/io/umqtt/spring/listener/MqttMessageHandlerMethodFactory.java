package io.umqtt.spring.listener;

import java.util.List;

import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * The method factory of {@code @MqttSubscribe} listeners: spring-messaging's default
 * resolvers, plus {@link TopicVariableArgumentResolver}. While its resolvers are exactly
 * those, the listener registry may invoke a method whose parameters need no conversion,
 * validation or expression directly (see {@link DirectListenerInvoker}), with the same
 * arguments.
 */
public class MqttMessageHandlerMethodFactory extends DefaultMessageHandlerMethodFactory {

	private boolean standardResolvers = true;

	public MqttMessageHandlerMethodFactory() {
		super.setCustomArgumentResolvers(List.of(new TopicVariableArgumentResolver()));
	}

	@Override
	public void setCustomArgumentResolvers(List<HandlerMethodArgumentResolver> customArgumentResolvers) {
		this.standardResolvers = false;
		super.setCustomArgumentResolvers(customArgumentResolvers);
	}

	@Override
	public void setArgumentResolvers(List<HandlerMethodArgumentResolver> argumentResolvers) {
		this.standardResolvers = false;
		super.setArgumentResolvers(argumentResolvers);
	}

	/**
	 * Whether the resolvers are the standard ones, which {@link DirectListenerInvoker}
	 * matches.
	 */
	boolean hasStandardResolvers() {
		return this.standardResolvers && getClass() == MqttMessageHandlerMethodFactory.class;
	}

}
