package io.umqtt.core.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttMessageListener;

import static org.awaitility.Awaitility.await;

/**
 * Collects messages a listener receives, for assertions.
 */
final class Received implements MqttMessageListener {

	private final List<MqttMessage> messages = new CopyOnWriteArrayList<>();

	@Override
	public void onMessage(MqttMessage message) {
		this.messages.add(message);
	}

	List<MqttMessage> messages() {
		return this.messages;
	}

	List<String> payloads() {
		return this.messages.stream().map(MqttMessage::payloadAsString).toList();
	}

	/** Waits up to {@code seconds} until at least {@code count} messages arrived. */
	Received awaitCount(int count, int seconds) {
		await().atMost(Duration.ofSeconds(seconds)).until(() -> this.messages.size() >= count);
		return this;
	}

	Received awaitCount(int count) {
		return awaitCount(count, 20);
	}

}
