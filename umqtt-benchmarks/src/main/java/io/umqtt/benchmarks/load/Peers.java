package io.umqtt.benchmarks.load;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessageListener;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The three clients behind one small interface, for the scenarios where a client both
 * publishes and receives: each used through its asynchronous API, the way its
 * documentation recommends.
 */
final class Peers {

	private Peers() {
	}

	/** A connected client of one library. */
	interface Peer {

		/**
		 * Starts connecting; every message received is handed to {@code onMessage}
		 * (payload).
		 */
		CompletableFuture<?> connect(String host, int port, String clientId, Consumer<byte[]> onMessage);

		/** Starts subscribing; completes at the SUBACK. */
		CompletableFuture<?> subscribe(String filter, int qos);

		/**
		 * Starts publishing; completes when QoS 0 is written, at the PUBACK or the
		 * PUBCOMP.
		 */
		CompletableFuture<?> publish(String topic, byte[] payload, int qos);

		void close() throws Exception;

	}

	static Peer create(String client, int inflight) {
		return switch (client) {
			case "umqtt" -> new Umqtt(inflight);
			case "hivemq" -> new HiveMq();
			case "paho" -> new Paho(inflight);
			default -> throw new IllegalArgumentException("No peer for " + client);
		};
	}

	static <T> T join(CompletableFuture<T> future) throws Exception {
		return future.get(1, TimeUnit.MINUTES);
	}

	static final class Umqtt implements Peer {

		private final int inflight;

		private MqttClient client;

		Umqtt(int inflight) {
			this.inflight = inflight;
		}

		@Override
		public CompletableFuture<?> connect(String host, int port, String clientId, Consumer<byte[]> onMessage) {
			this.client = MqttClient.builder(clientId, host)
				.port(port)
				.maxInflight(this.inflight)
				.outboundQueueCapacity(Math.max(10_000, this.inflight * 4))
				.publishTimeout(Duration.ofMinutes(5))
				.connectTimeout(Duration.ofMinutes(2))
				// a thread of its own calls the listener, as Paho's and HiveMQ's do
				.dispatchThread(onMessage != null)
				.build();
			if (onMessage != null) {
				this.client.setCallback((MqttMessageListener) (message) -> onMessage.accept(message.payload()));
			}
			return this.client.connectAsync(true);
		}

		@Override
		public CompletableFuture<?> subscribe(String filter, int qos) {
			return this.client.subscribeAsync(filter, qos, null);
		}

		@Override
		public CompletableFuture<?> publish(String topic, byte[] payload, int qos) {
			return this.client.publishAsync(topic, payload, false, qos);
		}

		@Override
		public void close() {
			this.client.disconnect();
		}

	}

	static final class HiveMq implements Peer {

		private Mqtt3AsyncClient client;

		private Consumer<byte[]> onMessage;

		@Override
		public CompletableFuture<?> connect(String host, int port, String clientId, Consumer<byte[]> onMessage) {
			this.onMessage = onMessage;
			this.client = com.hivemq.client.mqtt.MqttClient.builder()
				.useMqttVersion3()
				.identifier(clientId)
				.serverHost(host)
				.serverPort(port)
				.buildAsync();
			return this.client.connect();
		}

		@Override
		public CompletableFuture<?> subscribe(String filter, int qos) {
			return this.client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).callback((publish) -> {
				if (this.onMessage != null) {
					this.onMessage.accept(publish.getPayloadAsBytes());
				}
			}).send();
		}

		@Override
		public CompletableFuture<?> publish(String topic, byte[] payload, int qos) {
			return this.client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send();
		}

		@Override
		public void close() {
			this.client.disconnect().join();
		}

	}

	static final class Paho implements Peer {

		private final int inflight;

		private MqttAsyncClient client;

		Paho(int inflight) {
			this.inflight = inflight;
		}

		@Override
		public CompletableFuture<?> connect(String host, int port, String clientId, Consumer<byte[]> onMessage) {
			CompletableFuture<Void> connected = new CompletableFuture<>();
			try {
				this.client = new MqttAsyncClient("tcp://" + host + ":" + port, clientId, new MemoryPersistence());
				MqttConnectOptions options = new MqttConnectOptions();
				options.setCleanSession(true);
				options.setMaxInflight(this.inflight);
				options.setAutomaticReconnect(false);
				options.setConnectionTimeout(120);
				this.client.setCallback(new MqttCallback() {
					@Override
					public void connectionLost(Throwable cause) {
						cause.printStackTrace();
					}

					@Override
					public void messageArrived(String topic, MqttMessage message) {
						if (onMessage != null) {
							onMessage.accept(message.getPayload());
						}
					}

					@Override
					public void deliveryComplete(IMqttDeliveryToken token) {
					}
				});
				this.client.connect(options, null, listener(connected));
			}
			catch (Exception ex) {
				connected.completeExceptionally(ex);
			}
			return connected;
		}

		@Override
		public CompletableFuture<?> subscribe(String filter, int qos) {
			CompletableFuture<Void> subscribed = new CompletableFuture<>();
			try {
				this.client.subscribe(filter, qos, null, listener(subscribed));
			}
			catch (Exception ex) {
				subscribed.completeExceptionally(ex);
			}
			return subscribed;
		}

		@Override
		public CompletableFuture<?> publish(String topic, byte[] payload, int qos) {
			CompletableFuture<Void> published = new CompletableFuture<>();
			try {
				this.client.publish(topic, payload, qos, false, null, listener(published));
			}
			catch (Exception ex) {
				published.completeExceptionally(ex);
			}
			return published;
		}

		@Override
		public void close() throws Exception {
			this.client.disconnect().waitForCompletion(10_000);
			this.client.close();
		}

		private static IMqttActionListener listener(CompletableFuture<Void> future) {
			return new IMqttActionListener() {
				@Override
				public void onSuccess(IMqttToken token) {
					future.complete(null);
				}

				@Override
				public void onFailure(IMqttToken token, Throwable failure) {
					future.completeExceptionally(failure);
				}
			};
		}

	}

}
