package io.umqtt.core.interop;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttMessage;
import io.umqtt.test.MqttBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The interop suite every broker of the compatibility matrix runs: one subclass per
 * broker, annotated {@code @MqttBrokerTest(kind = …)}, names the broker's limits. A case
 * the broker cannot do is skipped with the limit as the reason (a JUnit assumption),
 * never passed; every other case gets the full assertion. {@link BrokerMatrix} records
 * the outcomes and writes the README table.
 */
abstract class BrokerInteropSuite {

	private static final AtomicInteger IDS = new AtomicInteger();

	@RegisterExtension
	static final BrokerMatrix.Recorder matrix = new BrokerMatrix.Recorder();

	private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

	private final String prefix = "interop/" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet();

	/** What this broker cannot do, by feature, with the broker's limit as the text. */
	abstract Map<Feature, String> limits();

	/** The broker's name and version, as the matrix shows it. */
	abstract String brokerVersion();

	private void assumeSupported(Feature feature) {
		assumeThat(limits().get(feature)).as("%s", limits().get(feature)).isNull();
	}

	private String topic(String name) {
		return this.prefix + "/" + name;
	}

	private MqttClient client(MqttBroker broker, String id, int version, int keepalive) {
		MqttClient client = MqttClient.builder(id, broker.host())
			.port(broker.port())
			.version(version)
			.keepalive(keepalive)
			.dispatchThread(true)
			.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500))
			.build();
		this.clients.add(client);
		return client;
	}

	private MqttClient client(MqttBroker broker, String name) {
		return client(broker, id(name), 4, 60);
	}

	private static String id(String name) {
		return "umqtt-" + name + "-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet();
	}

	@AfterEach
	void disconnectClients() {
		this.clients.forEach(MqttClient::disconnect);
		this.clients.clear();
	}

	private static List<MqttMessage> listen(MqttClient client) {
		List<MqttMessage> received = new CopyOnWriteArrayList<>();
		client.setCallback((io.umqtt.core.MqttMessageListener) received::add);
		return received;
	}

	private static void awaitCount(List<MqttMessage> received, int count) {
		await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= count);
	}

	private static List<String> payloads(List<MqttMessage> received) {
		return received.stream().map(MqttMessage::payloadAsString).toList();
	}

	@Test
	void basicPublishSubscribe(MqttBroker broker) {
		assumeSupported(Feature.BASIC);
		MqttClient sub = client(broker, "basic-sub");
		List<MqttMessage> received = listen(sub);
		sub.connect();
		sub.subscribe(topic("basic"), 1);
		MqttClient pub = client(broker, "basic-pub");
		pub.connect();
		assertThat(pub.publish(topic("basic"), "hello")).isTrue();
		awaitCount(received, 1);
		assertThat(received.get(0).topic()).isEqualTo(topic("basic"));
		assertThat(received.get(0).payloadAsString()).isEqualTo("hello");
	}

	@Test
	void retainedMessageReachesALaterSubscriber(MqttBroker broker) {
		assumeSupported(Feature.RETAINED);
		MqttClient pub = client(broker, "retain-pub");
		pub.connect();
		assertThat(pub.publish(topic("retained"), "kept", true, 1)).isTrue();
		try {
			MqttClient sub = client(broker, "retain-sub");
			List<MqttMessage> received = listen(sub);
			sub.connect();
			sub.subscribe(topic("retained"), 1);
			awaitCount(received, 1);
			assertThat(received.get(0).payloadAsString()).isEqualTo("kept");
			assertThat(received.get(0).retain()).isTrue();
		}
		finally {
			pub.publish(topic("retained"), new byte[0], true, 1);
		}
	}

	@Test
	void lastWillIsPublishedWhenTheConnectionDrops(MqttBroker broker) {
		assumeSupported(Feature.WILL);
		MqttClient sub = client(broker, "will-sub");
		List<MqttMessage> received = listen(sub);
		sub.connect();
		sub.subscribe(topic("will"), 1);
		MqttClient dying = MqttClient.builder(id("will"), broker.host()).port(broker.port()).reconn(false).build();
		this.clients.add(dying);
		dying.setLastWill(topic("will"), "gone", false, 1);
		dying.connect();
		dying.close();
		awaitCount(received, 1);
		assertThat(payloads(received)).containsExactly("gone");
	}

	@Test
	void messagesAreQueuedForAnOfflinePersistentSession(MqttBroker broker) {
		assumeSupported(Feature.OFFLINE_QUEUE);
		String id = id("offline");
		MqttClient first = client(broker, id, 4, 60);
		first.connect(false);
		first.subscribe(topic("offline"), 1);
		first.disconnect();
		MqttClient pub = client(broker, "offline-pub");
		pub.connect();
		for (int i = 0; i < 3; i++) {
			assertThat(pub.publish(topic("offline"), "queued " + i, false, 1)).isTrue();
		}
		MqttClient again = client(broker, id, 4, 60);
		List<MqttMessage> received = listen(again);
		again.connect(false);
		assertThat(again.isSessionPresent()).isTrue();
		awaitCount(received, 3);
		assertThat(payloads(received)).containsExactly("queued 0", "queued 1", "queued 2");
		again.unsubscribe(topic("offline"));
	}

	@Test
	void overlappingSubscriptionsDeliverTheMessageOnceOrPerFilter(MqttBroker broker) {
		assumeSupported(Feature.OVERLAPPING);
		MqttClient sub = client(broker, "overlap-sub");
		List<MqttMessage> received = listen(sub);
		sub.connect();
		sub.subscribe(topic("overlap/#"), 1);
		sub.subscribe(topic("overlap/+/x"), 1);
		MqttClient pub = client(broker, "overlap-pub");
		pub.connect();
		assertThat(pub.publish(topic("overlap/a/x"), "both", false, 1)).isTrue();
		// matched by the first filter only: once it is here, every copy of "both" is too
		assertThat(pub.publish(topic("overlap/marker"), "marker", false, 1)).isTrue();
		await().atMost(Duration.ofSeconds(30)).until(() -> payloads(received).contains("marker"));
		// [MQTT-3.3.5-1]: one copy, or one per matching subscription
		assertThat(payloads(received).stream().filter("both"::equals).count()).isBetween(1L, 2L);
	}

	@Test
	void keepAliveHoldsAnIdleConnection(MqttBroker broker) {
		assumeSupported(Feature.KEEP_ALIVE);
		MqttClient idle = client(broker, id("keepalive"), 4, 2);
		List<MqttMessage> received = listen(idle);
		idle.connect();
		idle.subscribe(topic("keepalive"), 1);
		long reconnects = idle.reconnectCount();
		// three keep-alive periods and more with no traffic but PINGREQ/PINGRESP
		await().pollDelay(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(30)).until(() -> idle.getMqttsta() == 0);
		assertThat(idle.reconnectCount()).isEqualTo(reconnects);
		MqttClient pub = client(broker, "keepalive-pub");
		pub.connect();
		assertThat(pub.publish(topic("keepalive"), "still here", false, 1)).isTrue();
		awaitCount(received, 1);
	}

	@Test
	void unacknowledgedMessageIsRedeliveredOnReconnect(MqttBroker broker) throws Exception {
		assumeSupported(Feature.REDELIVERY);
		String id = id("redeliver");
		MqttClient sub = client(broker, id, 4, 60);
		CountDownLatch closed = new CountDownLatch(1);
		List<MqttMessage> received = new CopyOnWriteArrayList<>();
		sub.setCallback((MqttMessage message) -> {
			received.add(message);
			if (received.size() == 1) {
				// hold the first delivery, and so its PUBACK, until the connection is
				// gone
				try {
					closed.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		});
		sub.connect(false);
		sub.subscribe(topic("redeliver"), 1);
		MqttClient pub = client(broker, "redeliver-pub");
		pub.connect();
		assertThat(pub.publish(topic("redeliver"), "again", false, 1)).isTrue();
		awaitCount(received, 1);
		sub.close();
		closed.countDown();
		sub.connect(false);
		awaitCount(received, 2);
		assertThat(payloads(received)).containsExactly("again", "again");
		assertThat(received.get(1).dup()).isTrue();
		sub.unsubscribe(topic("redeliver"));
	}

	@Test
	void refusedSubscriptionFailsThatCallAndKeepsTheConnection(MqttBroker broker) {
		assumeSupported(Feature.SUBSCRIBE_FAILURE);
		MqttClient sub = client(broker, "refused-sub");
		List<MqttMessage> received = listen(sub);
		sub.connect();
		// well-formed, but deeper than several brokers take: a 300-level filter
		String refused = topic("refused/" + String.join("/", java.util.Collections.nCopies(300, "l")));
		int granted;
		try {
			granted = sub.subscribe(refused, 1);
		}
		catch (MqttException failure) {
			assertThat(failure.returnCode()).isEqualTo(0x80);
			granted = -1;
		}
		assumeThat(granted).as("refuses nothing an anonymous client asks for (a 300-level filter was granted)")
			.isEqualTo(-1);
		assertThat(sub.getMqttsta()).isZero();
		sub.subscribe(topic("after-refusal"), 1);
		MqttClient pub = client(broker, "refused-pub");
		pub.connect();
		assertThat(pub.publish(topic("after-refusal"), "ok", false, 1)).isTrue();
		awaitCount(received, 1);
	}

	@Test
	void wildcardsDoNotMatchDollarTopics(MqttBroker broker) {
		assumeSupported(Feature.DOLLAR_TOPICS);
		String dollar = "$" + this.prefix.replace('/', '_') + "/dollar";
		MqttClient explicit = client(broker, "dollar-explicit");
		List<MqttMessage> explicitReceived = listen(explicit);
		explicit.connect();
		explicit.subscribe(dollar, 1);
		MqttClient everything = client(broker, "dollar-hash");
		List<MqttMessage> all = listen(everything);
		everything.connect();
		everything.subscribe("#", 0);
		MqttClient pub = client(broker, "dollar-pub");
		pub.connect();
		assertThat(pub.publish(dollar, "dollar", false, 1)).isTrue();
		assertThat(pub.publish(topic("dollar-marker"), "marker", false, 1)).isTrue();
		awaitCount(explicitReceived, 1);
		await().atMost(Duration.ofSeconds(30)).until(() -> payloads(all).contains("marker"));
		// [MQTT-4.7.2-1]: '#' and '+' do not match topics beginning with '$'
		assertThat(all).noneMatch((m) -> m.topic().startsWith("$"));
	}

	@Test
	void unsubscribedTopicIsNoLongerDelivered(MqttBroker broker) {
		assumeSupported(Feature.UNSUBSCRIBE);
		MqttClient sub = client(broker, "unsub-sub");
		List<MqttMessage> received = listen(sub);
		sub.connect();
		sub.subscribe(topic("unsub/a"), 1);
		sub.subscribe(topic("unsub/b"), 1);
		MqttClient pub = client(broker, "unsub-pub");
		pub.connect();
		assertThat(pub.publish(topic("unsub/a"), "before", false, 1)).isTrue();
		awaitCount(received, 1);
		sub.unsubscribe(topic("unsub/a"));
		assertThat(pub.publish(topic("unsub/a"), "after", false, 1)).isTrue();
		assertThat(pub.publish(topic("unsub/b"), "marker", false, 1)).isTrue();
		await().atMost(Duration.ofSeconds(30)).until(() -> payloads(received).contains("marker"));
		assertThat(payloads(received)).containsExactly("before", "marker");
	}

	@Test
	void qos0And1RoundTrip(MqttBroker broker) {
		assumeSupported(Feature.QOS_0_1);
		roundTrip(broker, 0);
		roundTrip(broker, 1);
	}

	@Test
	void qos2RoundTrip(MqttBroker broker) {
		assumeSupported(Feature.QOS_2);
		roundTrip(broker, 2);
	}

	private void roundTrip(MqttBroker broker, int qos) {
		MqttClient sub = client(broker, "qos" + qos + "-sub");
		List<MqttMessage> received = listen(sub);
		sub.connect();
		assertThat(sub.subscribe(topic("qos" + qos), qos)).isEqualTo(qos);
		MqttClient pub = client(broker, "qos" + qos + "-pub");
		pub.connect();
		assertThat(pub.publish(topic("qos" + qos), "at qos " + qos, false, qos)).isTrue();
		awaitCount(received, 1);
		assertThat(received).singleElement().satisfies((m) -> {
			assertThat(m.qos()).isEqualTo(qos);
			assertThat(m.payloadAsString()).isEqualTo("at qos " + qos);
		});
	}

	@Test
	void messagesOfOnePublisherArriveInOrder(MqttBroker broker) {
		assumeSupported(Feature.ORDERING);
		MqttClient sub = client(broker, "order-sub");
		List<MqttMessage> received = listen(sub);
		sub.connect();
		sub.subscribe(topic("order"), 1);
		MqttClient pub = client(broker, "order-pub");
		pub.connect();
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			expected.add("m" + i);
			sent.add(pub.publishAsync(topic("order"), "m" + i, false, 1));
		}
		CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
		awaitCount(received, 200);
		assertThat(payloads(received)).containsExactlyElementsOf(expected);
	}

	@Test
	void payloadsOfEverySizeArriveWhole(MqttBroker broker) {
		assumeSupported(Feature.PAYLOAD_SIZES);
		int[] sizes = { 0, 1, 127, 128, 16_383, 16_384, 65_536, 256 * 1024 };
		MqttClient sub = client(broker, "size-sub");
		List<MqttMessage> received = listen(sub);
		sub.connect();
		sub.subscribe(topic("size"), 1);
		MqttClient pub = client(broker, "size-pub");
		pub.connect();
		List<byte[]> payloads = new ArrayList<>();
		for (int size : sizes) {
			byte[] payload = new byte[size];
			for (int i = 0; i < size; i++) {
				payload[i] = (byte) (i * 31 + size);
			}
			payloads.add(payload);
			assertThat(pub.publish(topic("size"), payload, false, 1)).as("publish of %d bytes", size).isTrue();
		}
		awaitCount(received, sizes.length);
		for (int i = 0; i < sizes.length; i++) {
			assertThat(Arrays.equals(received.get(i).payload(), payloads.get(i))).as("payload of %d bytes", sizes[i])
				.isTrue();
		}
	}

	@Test
	void utf8TopicsRoundTrip(MqttBroker broker) {
		assumeSupported(Feature.UTF8_TOPICS);
		String unicode = topic("ünïcødé/日本語/🚀");
		MqttClient sub = client(broker, "utf8-sub");
		List<MqttMessage> received = listen(sub);
		sub.connect();
		sub.subscribe(topic("ünïcødé/+/🚀"), 1);
		MqttClient pub = client(broker, "utf8-pub");
		pub.connect();
		assertThat(pub.publish(unicode, "ü".getBytes(StandardCharsets.UTF_8), false, 1)).isTrue();
		awaitCount(received, 1);
		assertThat(received.get(0).topic()).isEqualTo(unicode);
		assertThat(received.get(0).payloadAsString()).isEqualTo("ü");
	}

	@Test
	void mqtt31ClientsConnectAndExchangeMessages(MqttBroker broker) {
		assumeSupported(Feature.MQTT_3_1);
		MqttClient sub = client(broker, id("v31sub"), 3, 60);
		List<MqttMessage> received = listen(sub);
		sub.connect();
		sub.subscribe(topic("v31"), 1);
		MqttClient pub = client(broker, id("v31pub"), 3, 60);
		pub.connect();
		assertThat(pub.publish(topic("v31"), "from 3.1", false, 1)).isTrue();
		awaitCount(received, 1);
		assertThat(payloads(received)).containsExactly("from 3.1");
	}

}
