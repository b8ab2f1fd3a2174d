package io.umqtt.spring.listener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import io.umqtt.core.AsyncMqttMessageListener;
import io.umqtt.core.MqttMessage;

/**
 * Runs one subscription's listener method on a shared executor, its messages one after another
 * in arrival order, while other subscriptions run at the same time. The client acknowledges each
 * message when the method has returned for it, and bounds how many are outstanding.
 */
final class ConcurrentMqttListenerAdapter implements AsyncMqttMessageListener {

	private final MessagingMqttListenerAdapter delegate;

	private final SerialExecutor executor;

	ConcurrentMqttListenerAdapter(MessagingMqttListenerAdapter delegate, Executor executor) {
		this.delegate = delegate;
		this.executor = new SerialExecutor(executor);
	}

	@Override
	public CompletionStage<?> onMessageAsync(MqttMessage message) {
		CompletableFuture<Void> handled = new CompletableFuture<>();
		this.executor.execute(() -> {
			try {
				this.delegate.onMessage(message);
			}
			finally {
				handled.complete(null);
			}
		});
		return handled;
	}

}
