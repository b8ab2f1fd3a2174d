package io.umqtt.spring.listener;

import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttMessageListener;
import io.umqtt.spring.MqttTemplate;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Receives one subscription's messages from the client and invokes the listener method through
 * spring-messaging's {@link InvocableHandlerMethod}: the MQTT message becomes a
 * {@code Message<byte[]>} with {@link MqttHeaders} (built only when something reads them), arguments are resolved from it, and a return
 * value goes to the {@code @SendTo} topic. Failures go to the {@link MqttListenerErrorHandler}.
 * Each invocation is an {@code umqtt.listener} observation (see {@link MqttObservations}).
 * <p>
 * Runs on the client's dispatch thread, one message at a time, so messages reach the method in
 * the order they arrived; the client acknowledges each after this returns. A failing invocation is
 * retried as the {@link ListenerRetry} says, then dead-lettered.
 */
public class MessagingMqttListenerAdapter implements MqttMessageListener {

	private final MqttListenerEndpoint endpoint;

	private final TopicTemplate topic;

	private final String clientName;

	private final InvocableHandlerMethod handlerMethod;

	private final MqttListenerErrorHandler errorHandler;

	private final MqttTemplate replyTemplate;

	private final String[] replyTopics;

	private final io.micrometer.observation.ObservationRegistry observations;

	private final ListenerRetry retry;

	/** Invokes the method without spring-messaging's resolution when its parameters allow; may be null. */
	private final DirectListenerInvoker direct;

	/**
	 * @param directInvocation whether a method whose parameters need no conversion, validation or
	 * expression may be invoked with arguments taken straight from the MQTT message (see
	 * {@link DirectListenerInvoker}): only when {@code handlerMethod} comes from umqtt's own
	 * method factory, whose resolvers give those same arguments
	 */
	public MessagingMqttListenerAdapter(MqttListenerEndpoint endpoint, TopicTemplate topic, String clientName,
			InvocableHandlerMethod handlerMethod, MqttListenerErrorHandler errorHandler, MqttTemplate replyTemplate,
			io.micrometer.observation.ObservationRegistry observations, ListenerRetry retry,
			boolean directInvocation) {
		this.direct = directInvocation ? DirectListenerInvoker.of(handlerMethod, topic) : null;
		this.observations = observations;
		this.retry = retry;
		this.endpoint = endpoint;
		this.topic = topic;
		this.clientName = clientName;
		this.handlerMethod = handlerMethod;
		this.errorHandler = errorHandler;
		this.replyTemplate = replyTemplate;
		SendTo sendTo = AnnotatedElementUtils.findMergedAnnotation(endpoint.method(), SendTo.class);
		this.replyTopics = (sendTo != null) ? sendTo.value() : new String[0];
	}

	private void invokeWithRetry(Message<byte[]> message, MqttMessage mqtt) throws Exception {
		long backOff = this.retry.backOff().toMillis();
		for (int attempt = 1;; attempt++) {
			try {
				Object result = (this.direct != null) ? this.direct.invoke(mqtt, this.clientName)
						: DirectListenerInvoker.UNRESOLVED;
				if (DirectListenerInvoker.unresolved(result)) {
					result = this.handlerMethod.invoke(message);
				}
				if (result != null && this.replyTopics.length > 0) {
					for (String replyTopic : this.replyTopics) {
						this.replyTemplate.convertAndSend(replyTopic, result);
					}
				}
				return;
			}
			catch (Exception ex) {
				if (attempt >= this.retry.maxAttempts()) {
					throw ex;
				}
				// waits in this subscription's own thread: its later messages wait too, order kept
				Thread.sleep(backOff);
				backOff = Math.min(backOff * 2, 60_000);
			}
		}
	}

	private void deadLetter(MqttMessage mqtt) {
		String topic = this.retry.deadLetterTopicFor(mqtt.topic());
		if (topic != null) {
			this.replyTemplate.publish(topic, mqtt.payload(), mqtt.qos(), false);
		}
	}

	@Override
	public void onMessage(MqttMessage mqtt) {
		Message<byte[]> message = new MqttListenerMessage(mqtt, this.clientName, this.topic);
		if (this.observations.isNoop()) {
			// nothing observes: no observation to build for each message
			try {
				invokeWithRetry(message, mqtt);
			}
			catch (Exception ex) {
				deadLetter(mqtt);
				this.errorHandler.handleError(this.endpoint.id(), message, ex);
			}
			return;
		}
		io.micrometer.observation.Observation observation = MqttObservations.listener(this.observations,
				this.clientName, this.endpoint.id(), this.topic.template(), mqtt.qos(), mqtt.topic());
		observation.start();
		try (io.micrometer.observation.Observation.Scope scope = observation.openScope()) {
			invokeWithRetry(message, mqtt);
		}
		catch (Exception ex) {
			observation.error(ex);
			deadLetter(mqtt);
			this.errorHandler.handleError(this.endpoint.id(), message, ex);
		}
		finally {
			observation.stop();
		}
	}

}
