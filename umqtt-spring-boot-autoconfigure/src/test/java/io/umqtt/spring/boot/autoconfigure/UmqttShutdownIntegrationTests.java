package io.umqtt.spring.boot.autoconfigure;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing the context drains in-flight messages, and never hangs when the broker is gone.
 */
@MqttBrokerTest
class UmqttShutdownIntegrationTests {

	@Test
	void closingTheContextDeliversEveryMessageInFlightFirst(MqttBroker broker) {
		Set<Integer> received = ConcurrentHashMap.newKeySet();
		MqttClient watcher = MqttClient.builder("shutdown-watcher-" + System.nanoTime(), broker.host())
			.port(broker.port())
			.dispatchThread(true)
			.inboundQueueCapacity(10_000)
			.build();
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		try {
			watcher.connect();
			watcher.subscribe("shutdown/t", 1, (message) -> received.add(ByteBuffer.wrap(message.payload()).getInt()));
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class))
				.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(),
						"umqtt.max-inflight=1000", "umqtt.shutdown-timeout=20s")
				.run((context) -> {
					MqttClient client = context.getBean(MqttClient.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> client.getMqttsta() == 0);
					MqttTemplate template = context.getBean(MqttTemplate.class);
					for (int i = 0; i < 2_000; i++) {
						sent.add(template.publish("shutdown/t", ByteBuffer.allocate(4).putInt(i).array(), 1, false));
					}
					// the context closes right after this, with most messages still in
					// flight
				});
			assertThat(sent).allMatch(CompletableFuture::isDone);
			assertThat(sent).noneMatch(CompletableFuture::isCompletedExceptionally);
			await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 2_000);
		}
		finally {
			watcher.disconnect();
		}
	}

	@Test
	void shutdownDoesNotHangWhenTheBrokerNeverAnswered(MqttBroker broker) {
		broker.stop();
		long start = System.nanoTime();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class))
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(),
					"umqtt.shutdown-timeout=2s")
			.run((context) -> {
				MqttTemplate template = context.getBean(MqttTemplate.class);
				// queued while the broker is down: cannot drain, so shutdown gives up
				// after its timeout
				template.publish("nowhere/t", "queued", 1, false);
			});
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

}
