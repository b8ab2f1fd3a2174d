package io.umqtt.core.client;

import java.nio.file.Path;
import java.time.Duration;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.store.FileSessionStore;

/**
 * The process that dies with a QoS 2 message received and recorded but not yet handled: a
 * clean-session-false subscriber with a file session store and a dispatch thread, whose
 * listener ends the process (as a kill would, no shutdown hook) before it does anything
 * with the message.
 * {@code StoreChildSubscriber <host> <port> <clientId> <storeDir> <topic>}: subscribes
 * with QoS 2, reports {@code SUBSCRIBED}, and halts with status 3 when the first message
 * reaches its listener.
 */
public final class StoreChildSubscriber {

	/** The exit status of a process that died in its listener. */
	static final int DIED_IN_LISTENER = 3;

	private StoreChildSubscriber() {
	}

	public static void main(String[] args) throws Exception {
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		String clientId = args[2];
		Path storeDir = Path.of(args[3]);
		String topic = args[4];
		FileSessionStore store = new FileSessionStore(storeDir, clientId, FileSessionStore.FsyncPolicy.ALWAYS);
		MqttClient client = MqttClient.builder(clientId, host)
			.port(port)
			.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500))
			.sessionStore(store)
			.dispatchThread(true)
			.build();
		client.connect(false);
		client.subscribe(topic, 2, (MqttMessage message) -> Runtime.getRuntime().halt(DIED_IN_LISTENER));
		System.out.println("SUBSCRIBED");
		System.out.flush();
		new java.util.concurrent.CountDownLatch(1).await();
	}

}
