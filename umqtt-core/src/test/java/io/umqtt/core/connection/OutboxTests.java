package io.umqtt.core.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import io.netty.channel.embedded.EmbeddedChannel;
import io.umqtt.core.ClientConfigs;
import io.umqtt.core.MqttClient;
import io.umqtt.core.OfflineOverflow;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.session.Session;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox without a connection: admission into the queue and the in-flight window, and
 * the offline buffer's policies while the client waits to reconnect.
 */
class OutboxTests {

	private final EmbeddedChannel loop = new EmbeddedChannel();

	private ConnectionState state = new ConnectionState.WaitingToReconnect();

	private Session session;

	private Outbox outbox(UnaryOperator<MqttClient.Builder> customizer) {
		ClientConfig config = ClientConfigs.of(customizer.apply(MqttClient.builder("outbox", "broker.invalid")));
		this.session = new Session(config.maxInflight());
		ChannelWriter writer = new ChannelWriter(this.session, () -> {
		});
		SessionOutputs outputs = new SessionOutputs(writer);
		return new Outbox(config, this.loop.eventLoop(), this.session, writer, outputs, () -> this.state, () -> {
		});
	}

	private static List<CompletableFuture<Void>> offer(Outbox outbox, int count, int qos) {
		List<CompletableFuture<Void>> offered = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			offered.add(outbox.offer(new OutgoingMessage("t", qos, false, new byte[] { (byte) i })));
		}
		return offered;
	}

	@Test
	void offlineMessagesBeyondTheBufferFailByDefault() {
		Outbox outbox = outbox((b) -> b.offlineQueueCapacity(2));
		List<CompletableFuture<Void>> offered = offer(outbox, 3, 1);
		this.loop.runPendingTasks();
		assertThat(this.session.queuedCount()).isEqualTo(2);
		assertThat(offered.get(0)).isNotDone();
		assertThat(offered.get(2)).isCompletedExceptionally();
		assertThat(offered.get(2).handle((v, failure) -> failure.getMessage()).join()).contains("Offline buffer full");
	}

	@Test
	void dropOldestMakesRoomByFailingTheOldest() {
		Outbox outbox = outbox((b) -> b.offlineQueueCapacity(2).offlineOverflow(OfflineOverflow.DROP_OLDEST));
		List<CompletableFuture<Void>> offered = offer(outbox, 3, 1);
		this.loop.runPendingTasks();
		assertThat(this.session.queuedCount()).isEqualTo(2);
		assertThat(offered.get(0)).isCompletedExceptionally();
		assertThat(offered.get(1)).isNotDone();
		assertThat(offered.get(2)).isNotDone();
	}

	@Test
	void blockLeavesTheMessageWaitingInTheOutbox() {
		Outbox outbox = outbox((b) -> b.offlineQueueCapacity(2).offlineOverflow(OfflineOverflow.BLOCK));
		List<CompletableFuture<Void>> offered = offer(outbox, 3, 0);
		this.loop.runPendingTasks();
		assertThat(this.session.queuedCount()).isEqualTo(2);
		assertThat(offered).noneMatch(CompletableFuture::isDone);
		assertThat(outbox.waiting()).isTrue();
	}

	@Test
	void admissionFailsAtOnceOnTheEventLoopWhenTheQueueOrTheWindowIsFull() {
		Outbox queueOfOne = outbox((b) -> b.outboundQueueCapacity(1));
		List<CompletableFuture<Void>> offered = offer(queueOfOne, 2, 0);
		assertThat(offered.get(0)).isNotDone();
		assertThat(offered.get(1).handle((v, failure) -> failure.getMessage()).join())
			.contains("No room in the queue to the network (1 messages)");
		Outbox windowOfOne = outbox((b) -> b.maxInflight(1));
		offered = offer(windowOfOne, 2, 1);
		assertThat(windowOfOne.inflightCount()).isEqualTo(1);
		assertThat(offered.get(1).handle((v, failure) -> failure.getMessage()).join())
			.contains("No room in the in-flight window (1 messages)");
	}

	@Test
	void withoutAConnectionToComeMessagesFail() {
		Outbox outbox = outbox((b) -> b.reconn(false));
		this.state = new ConnectionState.Closed(false);
		List<CompletableFuture<Void>> offered = offer(outbox, 1, 1);
		this.state = ConnectionState.FINISHED;
		offered.addAll(offer(outbox, 1, 0));
		this.loop.runPendingTasks();
		assertThat(offered.get(0).handle((v, failure) -> failure.getMessage()).join())
			.contains("The client is disconnected");
		assertThat(outbox.inflightCount()).isZero();
		this.state = new ConnectionState.Closed(false);
		List<CompletableFuture<Void>> later = offer(outbox, 1, 1);
		this.loop.runPendingTasks();
		assertThat(later.get(0).handle((v, failure) -> failure.getMessage()).join())
			.contains("internal reconnection is off");
	}

}
