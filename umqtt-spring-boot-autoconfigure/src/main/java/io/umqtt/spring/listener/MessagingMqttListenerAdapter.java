package io.umqtt.spring.listener;

import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttMessageListener;
import io.umqtt.spring.MqttHeaders;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.observation.MqttObservations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Receives one subscription's messages from the client and invokes the listener method
 * through spring-messaging's {@link InvocableHandlerMethod}: the MQTT message becomes a
 * {@code Message<byte[]>} with {@link MqttHeaders} (built only when something reads
 * them), arguments are resolved from it, and a return value goes to the message's MQTT 5
 * response topic (with its correlation data) when it has one, else to the {@code @SendTo}
 * topic. Failures go to the {@link MqttListenerErrorHandler}. Each invocation is an
 * {@code umqtt.listener} observation (see {@link MqttObservations}).
 * <p>
 * Called for one subscription one message at a time, so messages reach the method in the
 * order they arrived. A failing invocation is retried as the {@link ListenerRetry} says,
 * then dead-lettered and reported; an {@code Error} is reported without retry.
 * {@link #handle} says whether the message may be acknowledged: a QoS 1/2 message is
 * acknowledged only once it was handled, its dead-letter copy (if any) confirmed by the
 * broker.
 */
public class MessagingMqttListenerAdapter implements MqttMessageListener {

	private static final Log logger = LogFactory.getLog(MessagingMqttListenerAdapter.class);

	private final MqttListenerEndpoint endpoint;

	private final TopicTemplate topic;

	private final String clientName;

	private final InvocableHandlerMethod handlerMethod;

	private final MqttListenerErrorHandler errorHandler;

	private final MqttTemplate replyTemplate;

	private final String[] replyTopics;

	private final io.micrometer.observation.ObservationRegistry observations;

	private final ListenerRetry retry;

	/**
	 * Invokes the method without spring-messaging's resolution when its parameters allow;
	 * may be null.
	 */
	private final DirectListenerInvoker direct;

	private ListenerFailures failures = ListenerFailures.NONE;

	private java.util.function.UnaryOperator<String> errorTextMask = java.util.function.UnaryOperator.identity();

	/** Hides the client's credentials in the error texts this logs. */
	void setErrorTextMask(java.util.function.UnaryOperator<String> errorTextMask) {
		this.errorTextMask = errorTextMask;
	}

	/**
	 * Creates a new {@code MessagingMqttListenerAdapter}.
	 * @param directInvocation whether a method whose parameters need no conversion,
	 * validation or expression may be invoked with arguments taken straight from the MQTT
	 * message (see {@link DirectListenerInvoker}): only when {@code handlerMethod} comes
	 * from umqtt's own method factory, whose resolvers give those same arguments
	 */
	public MessagingMqttListenerAdapter(MqttListenerEndpoint endpoint, TopicTemplate topic, String clientName,
			InvocableHandlerMethod handlerMethod, MqttListenerErrorHandler errorHandler, MqttTemplate replyTemplate,
			io.micrometer.observation.ObservationRegistry observations, ListenerRetry retry, boolean directInvocation) {
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

	/**
	 * Waits between attempts; {@code false} when the wait was cut short (stop,
	 * interrupt).
	 */
	@FunctionalInterface
	interface RetryWait {

		/** Sleeps in {@link Thread#sleep}; an interrupt ends it and is restored. */
		RetryWait THREAD_SLEEP = (millis) -> {
			try {
				Thread.sleep(millis);
				return true;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		};

		/**
		 * Waits, for the retry back-off.
		 * @param millis how long to wait
		 * @return whether the whole wait passed; {@code false} when it was cut short, the
		 * thread's interrupt status restored if that was the cause
		 */
		boolean await(long millis);

	}

	/**
	 * Invokes the method, retrying as the {@link ListenerRetry} says.
	 * @return {@code true} when an invocation succeeded; {@code false} when a back-off
	 * wait was cut short: the message is then neither handled nor failed
	 */
	/** Where failures that leave a message unacknowledged or unreported are counted. */
	void setFailures(ListenerFailures failures) {
		this.failures = failures;
	}

	private boolean invokeWithRetry(Message<byte[]> message, MqttMessage mqtt, RetryWait wait) throws Exception {
		BackOffExecution backOff = null;
		while (true) {
			try {
				Object result = (this.direct != null) ? this.direct.invoke(mqtt, this.clientName)
						: DirectListenerInvoker.UNRESOLVED;
				if (DirectListenerInvoker.unresolved(result)) {
					result = this.handlerMethod.invoke(message);
				}
				if (result != null) {
					reply(mqtt, result);
				}
				return true;
			}
			catch (Exception ex) {
				if (backOff == null) {
					backOff = this.retry.toBackOff().start();
				}
				long next = backOff.nextBackOff();
				if (next == BackOffExecution.STOP) {
					throw ex;
				}
				// waits in this subscription's own thread: its later messages wait too,
				// order kept
				if (!wait.await(next)) {
					logger
						.warn("MQTT listener '" + this.endpoint.id() + "' stopped while waiting to retry a message on '"
								+ mqtt.topic() + "' (QoS " + mqtt.qos() + "); it is not acknowledged");
					return false;
				}
			}
		}
	}

	/**
	 * Publishes a return value: to the message's MQTT 5 response topic when it carries
	 * one, with its correlation data and at its QoS; else to the {@code @SendTo} topics.
	 */
	private void reply(MqttMessage mqtt, Object result) {
		String responseTopic = mqtt.properties().responseTopic();
		if (responseTopic != null) {
			java.util.Map<String, Object> headers = new java.util.HashMap<>();
			headers.put(MqttHeaders.QOS, mqtt.qos());
			byte[] correlation = mqtt.properties().correlationData();
			if (correlation != null) {
				headers.put(MqttHeaders.CORRELATION_DATA, correlation);
			}
			this.replyTemplate.convertAndSend(responseTopic, result, headers);
			return;
		}
		for (String replyTopic : this.replyTopics) {
			this.replyTemplate.convertAndSend(replyTopic, result);
		}
	}

	/**
	 * Republishes a failed message to the dead-letter topic and waits for the broker to
	 * take it (as a blocking publish waits: up to the client's publish timeout).
	 * @throws MessagingException when it was not confirmed
	 */
	private void deadLetter(MqttMessage mqtt, String topic) {
		Message<byte[]> copy = MessageBuilder.withPayload(mqtt.payload())
			.setHeader(MqttHeaders.QOS, mqtt.qos())
			.build();
		this.replyTemplate.send(topic, copy);
	}

	/**
	 * Handles one message: invokes the method (with retries), and when it keeps failing
	 * dead-letters the message and tells the error handler. Nothing it throws escapes.
	 * @param mqtt the message
	 * @param wait how to wait between attempts, cut short by a stop
	 * @return whether the message may be acknowledged: {@code true} once it was handled
	 * (the method returned, or its failure was dead-lettered and reported); {@code false}
	 * when it must stay unacknowledged, so that the broker delivers it again: a stop
	 * during a back-off wait, or a dead-letter publish that failed
	 */
	boolean handle(MqttMessage mqtt, RetryWait wait) {
		Message<byte[]> message = new MqttListenerMessage(mqtt, this.clientName, this.topic);
		io.micrometer.observation.Observation observation = this.observations.isNoop() ? null
				: MqttObservations.listener(this.observations, this.clientName, this.endpoint.id(),
						this.topic.template(), mqtt.qos(), mqtt.topic(), mqtt.properties());
		Exception failure = null;
		if (observation != null) {
			observation.start();
		}
		try (io.micrometer.observation.Observation.Scope scope = (observation != null) ? observation.openScope()
				: null) {
			return invokeWithRetry(message, mqtt, wait);
		}
		catch (Exception ex) {
			failure = ex;
		}
		catch (Error error) {
			// not retried: an Error rarely goes away by itself; the message is still
			// reported
			failure = new MqttListenerExecutionException("MQTT listener '" + this.endpoint.id() + "' threw " + error,
					error);
		}
		finally {
			if (observation != null) {
				if (failure != null) {
					observation.error(failure);
				}
				observation.stop();
			}
		}
		return failed(message, mqtt, failure);
	}

	private boolean failed(Message<byte[]> message, MqttMessage mqtt, Exception failure) {
		String deadLetterTopic = this.retry.deadLetterTopicFor(mqtt.topic());
		if (deadLetterTopic != null) {
			try {
				deadLetter(mqtt, deadLetterTopic);
			}
			catch (RuntimeException ex) {
				logger.error("MQTT listener '" + this.endpoint.id() + "': a failed message on '" + mqtt.topic()
						+ "' (QoS " + mqtt.qos() + ") could not be dead-lettered to '" + deadLetterTopic
						+ "'; it is not acknowledged: " + this.errorTextMask.apply(ex.getMessage()));
				MqttListenerExecutionException deadLetterFailure = new MqttListenerExecutionException(
						"Dead-letter publish to '" + deadLetterTopic + "' failed; the message is not acknowledged", ex);
				deadLetterFailure.addSuppressed(failure);
				this.failures.record(this.endpoint.id(), ListenerFailures.Kind.DEAD_LETTER_FAILED);
				tellErrorHandler(message, mqtt, deadLetterFailure);
				return false;
			}
		}
		tellErrorHandler(message, mqtt, failure);
		return true;
	}

	private void tellErrorHandler(Message<byte[]> message, MqttMessage mqtt, Exception failure) {
		try {
			this.errorHandler.handleError(this.endpoint.id(), message, failure);
		}
		catch (Throwable ex) {
			// the listener's failure was reported and counted: acknowledged, so one
			// message cannot
			// hold back every acknowledgement after it
			this.failures.record(this.endpoint.id(), ListenerFailures.Kind.ERROR_HANDLER_FAILED);
			logger.error("The MqttListenerErrorHandler threw for MQTT listener '" + this.endpoint.id()
					+ "' on a message on '" + mqtt.topic() + "' (QoS " + mqtt.qos()
					+ "); the message is acknowledged. The listener's failure: " + failure, ex);
		}
	}

	/**
	 * Handles one message in the calling thread; a back-off wait is an interruptible
	 * sleep. Whatever happens the message counts as delivered: the client acknowledges it
	 * after this returns. The registry's listeners use {@link #handle} instead, which can
	 * withhold it.
	 */
	@Override
	public void onMessage(MqttMessage mqtt) {
		handle(mqtt, RetryWait.THREAD_SLEEP);
	}

}
