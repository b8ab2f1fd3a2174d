package io.umqtt.core.client;

import java.lang.ref.WeakReference;
import java.time.Duration;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttMessageListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;

/**
 * {@code checkMsg()} finishes what {@code unsubscribe()} left to the reader (removing the
 * filter's listeners after the messages before the UNSUBACK), also when no message is
 * queued.
 */
class CheckMsgIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@Test
	void checkMsgOnAnEmptyQueueLetsAnUnsubscribedListenerGo() throws Exception {
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(false);
			ConversationBroker.Packet subscribe = c.read(8);
			c.write(0x90, 0x03, subscribe.body()[0], subscribe.body()[1], 0x01);
			ConversationBroker.Packet unsubscribe = c.read(10);
			c.write(0xB0, 0x02, unsubscribe.body()[0], unsubscribe.body()[1]);
			c.read(14);
		})) {
			MqttClient client = this.clients
				.track(MqttClient.builder(Clients.id("check-msg"), "127.0.0.1").port(broker.port()).build());
			client.connect();
			WeakReference<MqttMessageListener> listener = subscribeOnce(client);
			client.unsubscribe("routes/t");
			client.checkMsg();
			// nothing holds the listener once its route is gone
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				System.gc();
				return listener.get() == null;
			});
		}
	}

	private static WeakReference<MqttMessageListener> subscribeOnce(MqttClient client) {
		MqttMessageListener listener = new MqttMessageListener() {
			@Override
			public void onMessage(MqttMessage message) {
			}
		};
		client.subscribe("routes/t", 1, listener);
		return new WeakReference<>(listener);
	}

}
