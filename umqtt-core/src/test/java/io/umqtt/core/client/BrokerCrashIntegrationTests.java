package io.umqtt.core.client;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessage;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import io.umqtt.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mosquitto is SIGKILLed and restarted three times during a stream of 5,000 QoS 1 and
 * 5,000 QoS 2 messages between a clean-session-false publisher and subscriber. Mosquitto
 * only writes its state to disk now and then, so before each kill the traffic is held at
 * proxies and the broker saves (SIGUSR1): whatever the broker acknowledged is on disk,
 * and whatever the clients had in flight is theirs to resend. Every message arrives, QoS
 * 2 exactly once, each in publishing order.
 */
@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
class BrokerCrashIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@Test
	void nothingIsLostAcrossThreeBrokerKills(MqttBroker broker) throws Exception {
		int count = 5_000;
		List<Integer> qos1 = new CopyOnWriteArrayList<>();
		List<Integer> qos2 = new CopyOnWriteArrayList<>();
		try (TcpProxy subscriberLink = TcpProxy.to(broker); TcpProxy publisherLink = TcpProxy.to(broker)) {
			MqttClient subscriber = this.clients.track(MqttClient.builder(Clients.id("kill-sub"), "127.0.0.1")
				.port(subscriberLink.port())
				.dispatchThread(true)
				.inboundQueueCapacity(20_000)
				.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(300))
				.build());
			subscriber.connect(false);
			subscriber.subscribe("kill/1", 1, (MqttMessage m) -> qos1.add(ByteBuffer.wrap(m.payload()).getInt()));
			subscriber.subscribe("kill/2", 2, (MqttMessage m) -> qos2.add(ByteBuffer.wrap(m.payload()).getInt()));
			MqttClient publisher = this.clients.track(MqttClient.builder(Clients.id("kill-pub"), "127.0.0.1")
				.port(publisherLink.port())
				.maxInflight(500)
				.publishTimeout(Duration.ofMinutes(2))
				.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(300))
				.build());
			publisher.connect(false);
			List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();
			int chunk = count / 4;
			// the first quarter flows normally
			Thread feeder = feed(publisher, sent, 0, chunk);
			feeder.join(120_000);
			for (int kill = 1; kill <= 3; kill++) {
				// hold the traffic, then publish the next quarter into the hold: the
				// window fills up
				publisherLink.blackHole();
				subscriberLink.blackHole();
				feeder = feed(publisher, sent, kill * chunk, chunk);
				await().atMost(Duration.ofSeconds(30)).until(() -> publisher.inflightCount() == 500);
				assertThat(publisher.inflightCount()).as("messages in flight at kill %d", kill).isEqualTo(500);
				// the broker saves what it acknowledged, then dies without warning
				broker.save();
				broker.kill();
				broker.start();
				publisherLink.heal();
				subscriberLink.heal();
				publisherLink.cutAll();
				subscriberLink.cutAll();
				await().atMost(Duration.ofSeconds(30))
					.until(() -> publisher.getMqttsta() == 0 && subscriber.getMqttsta() == 0);
				assertThat(subscriber.isSessionPresent()).as("the subscriber's session survived kill %d", kill)
					.isTrue();
				feeder.join(120_000);
				assertThat(feeder.isAlive()).isFalse();
			}
			await().atMost(Duration.ofSeconds(120)).until(() -> sent.stream().allMatch(CompletableFuture::isDone));
			assertThat(sent).noneMatch(CompletableFuture::isCompletedExceptionally);
			await().atMost(Duration.ofSeconds(60)).until(() -> distinct(qos1) == count && distinct(qos2) == count);
			assertThat(publisher.reconnectCount()).isGreaterThanOrEqualTo(3);
		}
		// QoS 2: each message exactly once, in publishing order
		assertThat(qos2).hasSize(count);
		for (int i = 0; i < count; i++) {
			assertThat(qos2.get(i)).as("QoS 2 message at %d", i).isEqualTo(i);
		}
		// QoS 1: every message at least once, first arrivals in publishing order
		List<Integer> firstArrivals = new ArrayList<>(new LinkedHashSet<>(qos1));
		assertThat(firstArrivals).hasSize(count);
		for (int i = 0; i < count; i++) {
			assertThat(firstArrivals.get(i)).as("QoS 1 first arrival at %d", i).isEqualTo(i);
		}
	}

	/**
	 * Publishes messages {@code first .. first+n-1} on both topics from a thread of its
	 * own.
	 */
	private static Thread feed(MqttClient publisher, List<CompletableFuture<Void>> sent, int first, int n) {
		Thread feeder = new Thread(() -> {
			for (int i = first; i < first + n; i++) {
				byte[] payload = ByteBuffer.allocate(4).putInt(i).array();
				sent.add(publisher.publishAsync("kill/1", payload, false, 1));
				sent.add(publisher.publishAsync("kill/2", payload, false, 2));
			}
		}, "kill-feeder-" + first);
		feeder.start();
		return feeder;
	}

	private static long distinct(List<Integer> values) {
		Set<Integer> seen = new java.util.HashSet<>(values);
		return seen.size();
	}

}
