package io.umqtt.spring.listener;

/**
 * What the {@link MqttListenerErrorHandler} receives when a listener failed in a way that
 * is not an {@code Exception} of its own: an {@code Error} it threw (the cause), or a
 * failed dead-letter publish (the cause; the listener's own failure is suppressed in it).
 */
public class MqttListenerExecutionException extends RuntimeException {

	/**
	 * Creates a new {@code MqttListenerExecutionException}.
	 * @param message what failed
	 * @param cause why
	 */
	public MqttListenerExecutionException(String message, Throwable cause) {
		super(message, cause);
	}

}
