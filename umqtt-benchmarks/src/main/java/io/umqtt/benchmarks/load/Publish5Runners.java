package io.umqtt.benchmarks.load;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.umqtt.core.MqttClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/**
 * The MQTT 5 publishers of {@link PublishRun}: umqtt with {@code version(5)} (with or
 * without outbound topic aliases), HiveMQ's {@code Mqtt5AsyncClient} and Paho's v5
 * {@code MqttAsyncClient}, each through its asynchronous API. Paho and HiveMQ get a
 * semaphore as window, released in their completion callbacks; umqtt has its own. All
 * three are bounded as well by the server's Receive Maximum (MQTT 5).
 */
final class Publish5Runners {

	private Publish5Runners() {
	}

	static final class Umqtt implements PublishRun.Runner {

		private final boolean topicAliases;

		private MqttClient client;

		Umqtt(boolean topicAliases) {
			this.topicAliases = topicAliases;
		}

		@Override
		public void connect(String host, int port, int inflight) {
			this.client = MqttClient.builder("bench-umqtt5-" + ProcessHandle.current().pid(), host)
				.port(port)
				.version(5)
				.topicAliases(this.topicAliases)
				.maxInflight(inflight)
				.outboundQueueCapacity(Math.max(10_000, inflight * 4))
				.publishTimeout(Duration.ofMinutes(5))
				.build();
			this.client.connect();
		}

		@Override
		public void publish(String topic, int qos, int count, byte[] payload, int inflight) throws Exception {
			CountDownLatch done = new CountDownLatch(count);
			for (int i = 0; i < count; i++) {
				this.client.publishAsync(topic, payload, false, qos).whenComplete((ok, failure) -> {
					if (failure != null) {
						failure.printStackTrace();
					}
					done.countDown();
				});
			}
			PublishRun.await(done);
			if (qos == 0 && !this.client.publish(topic, payload, false, 1)) {
				throw new IllegalStateException("marker not acknowledged");
			}
		}

		@Override
		public void close() {
			this.client.disconnect();
		}

	}

	static final class HiveMq implements PublishRun.Runner {

		private Mqtt5AsyncClient client;

		@Override
		public void connect(String host, int port, int inflight) {
			this.client = com.hivemq.client.mqtt.MqttClient.builder()
				.useMqttVersion5()
				.identifier("bench-hivemq5-" + ProcessHandle.current().pid())
				.serverHost(host)
				.serverPort(port)
				.buildAsync();
			this.client.connect().join();
		}

		@Override
		public void publish(String topic, int qos, int count, byte[] payload, int inflight) throws Exception {
			Semaphore window = new Semaphore(inflight);
			CountDownLatch done = new CountDownLatch(count);
			MqttQos level = MqttQos.fromCode(qos);
			for (int i = 0; i < count; i++) {
				window.acquire();
				this.client.publishWith()
					.topic(topic)
					.qos(level)
					.payload(payload)
					.send()
					.whenComplete((ok, failure) -> {
						if (failure != null) {
							failure.printStackTrace();
						}
						window.release();
						done.countDown();
					});
			}
			PublishRun.await(done);
			if (qos == 0) {
				this.client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send().join();
			}
		}

		@Override
		public void close() {
			this.client.disconnect().join();
		}

	}

	static final class Paho implements PublishRun.Runner {

		private MqttAsyncClient client;

		/**
		 * The server's Receive Maximum: Paho refuses a publish beyond it instead of
		 * waiting.
		 */
		private int receiveMaximum = 65_535;

		@Override
		public void connect(String host, int port, int inflight) throws Exception {
			this.client = new MqttAsyncClient("tcp://" + host + ":" + port,
					"bench-paho5-" + ProcessHandle.current().pid(), new MemoryPersistence());
			MqttConnectionOptions options = new MqttConnectionOptions();
			options.setCleanStart(true);
			options.setAutomaticReconnect(false);
			IMqttToken connected = this.client.connect(options);
			connected.waitForCompletion(30_000);
			Integer serverMaximum = (connected.getResponseProperties() != null)
					? connected.getResponseProperties().getReceiveMaximum() : null;
			if (serverMaximum != null) {
				this.receiveMaximum = serverMaximum;
			}
		}

		@Override
		public void publish(String topic, int qos, int count, byte[] payload, int inflight) throws Exception {
			Semaphore window = new Semaphore(Math.min(inflight, this.receiveMaximum));
			CountDownLatch done = new CountDownLatch(count);
			MqttActionListener listener = new MqttActionListener() {
				@Override
				public void onSuccess(IMqttToken token) {
					window.release();
					done.countDown();
				}

				@Override
				public void onFailure(IMqttToken token, Throwable failure) {
					failure.printStackTrace();
					window.release();
					done.countDown();
				}
			};
			for (int i = 0; i < count; i++) {
				window.acquire();
				this.client.publish(topic, payload, qos, false, null, listener);
			}
			PublishRun.await(done);
			if (qos == 0) {
				this.client.publish(topic, payload, 1, false).waitForCompletion(60_000);
			}
		}

		@Override
		public void close() throws Exception {
			this.client.disconnect().waitForCompletion(10_000);
			this.client.close();
		}

	}

}
