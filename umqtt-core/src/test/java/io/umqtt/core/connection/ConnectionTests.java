package io.umqtt.core.connection;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttStatus;
import io.umqtt.core.session.InboundDelivery;
import io.umqtt.core.session.OutgoingMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connection on an {@code EmbeddedChannel}, the test playing the broker: CONNECT and
 * CONNACK, a QoS 1 publish and its PUBACK, a received QoS 1 message acknowledged only
 * once delivered, and the states of reconnection. No socket.
 */
class ConnectionTests {

	private final EmbeddedConnection embedded = new EmbeddedConnection((builder) -> builder);

	private final Connection connection = this.embedded.connection;

	private CompletableFuture<Boolean> connect() {
		CompletableFuture<Boolean> connected = this.connection.connect(true);
		this.embedded.run();
		assertThat(this.connection.state()).isInstanceOf(ConnectionState.Connecting.class);
		assertThat(this.connection.status()).isEqualTo(MqttStatus.CONNECTING);
		this.embedded.open();
		// CONNECT, clean session
		assertThat(EmbeddedConnection.headers(this.embedded.sent())).containsExactly(0x10);
		this.embedded.receive(0x20, 0x02, 0x00, 0x00);
		return connected;
	}

	@Test
	void connectSendsConnectAndTheConnackConnects() {
		assertThat(this.connection.state()).isEqualTo(ConnectionState.IDLE);
		assertThat(this.connection.status()).isEqualTo(MqttStatus.ERROR);
		CompletableFuture<Boolean> connected = connect();
		assertThat(connected).isCompletedWithValue(false);
		assertThat(this.connection.state()).isInstanceOf(ConnectionState.Connected.class);
		assertThat(this.connection.status()).isEqualTo(MqttStatus.CONNECTED);
		assertThat(this.embedded.events).containsExactly("connected reconnect=false");
	}

	@Test
	void aQos1PublishCompletesAtItsPuback() {
		connect();
		OutgoingMessage message = new OutgoingMessage("t", 1, false, "hi".getBytes());
		CompletableFuture<Void> published = this.connection.outbox().offer(message);
		this.embedded.run();
		// PUBLISH QoS 1, one flush
		assertThat(EmbeddedConnection.headers(this.embedded.sent())).containsExactly(0x32);
		assertThat(this.connection.outbox().inflightCount()).isEqualTo(1);
		assertThat(published).isNotDone();
		this.embedded.receive(0x40, 0x02, message.packetId() >> 8, message.packetId() & 0xFF);
		assertThat(published).isCompleted();
		assertThat(this.connection.outbox().inflightCount()).isZero();
	}

	@Test
	void aReceivedQos1MessageIsAcknowledgedOnlyOnceDelivered() {
		connect();
		// PUBLISH QoS 1 on "t", packet id 7, payload "hi"
		this.embedded.receive(0x32, 0x07, 0x00, 0x01, 't', 0x00, 0x07, 'h', 'i');
		InboundDelivery delivery = this.connection.inbox().queue().poll();
		assertThat(delivery).isNotNull();
		assertThat(delivery.publish().topic()).isEqualTo("t");
		delivery.publish().payload().release();
		// nothing acknowledged while the listener has it
		assertThat(this.embedded.sent()).isEmpty();
		this.connection.inbox().acknowledge(delivery);
		assertThat(this.embedded.sent()).containsExactly(0x40, 0x02, 0x00, 0x07);
	}

	@Test
	void aLostConnectionWaitsThenReconnects() {
		connect();
		this.embedded.channel().close();
		this.embedded.run();
		assertThat(this.connection.state()).isInstanceOf(ConnectionState.WaitingToReconnect.class);
		assertThat(this.connection.status()).isEqualTo(MqttStatus.CONNECTING);
		assertThat(this.embedded.events).contains("lost Server closed the connection", "error reconnect_start");
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			this.embedded.tick();
			return this.connection.state() instanceof ConnectionState.Connecting;
		});
		assertThat(this.embedded.channels).hasSize(2);
		this.embedded.open();
		assertThat(EmbeddedConnection.headers(this.embedded.sent())).containsExactly(0x10);
		this.embedded.receive(0x20, 0x02, 0x00, 0x00);
		assertThat(this.connection.state()).isInstanceOf(ConnectionState.Connected.class);
		assertThat(this.connection.reconnects()).isEqualTo(1);
		assertThat(this.embedded.events).endsWith("error reconnect_success", "connected reconnect=true");
	}

	@Test
	void aFinalRefusalWhileReconnectingEndsTheRetries() {
		connect();
		this.embedded.channel().close();
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			this.embedded.tick();
			return this.connection.state() instanceof ConnectionState.Connecting;
		});
		this.embedded.open();
		this.embedded.sent();
		// CONNACK 5: not authorised
		this.embedded.receive(0x20, 0x02, 0x00, 0x05);
		assertThat(this.connection.state()).isEqualTo(new ConnectionState.Closed(false));
		assertThat(this.connection.status()).isEqualTo(MqttStatus.ERROR);
		this.embedded.run();
		assertThat(this.embedded.channels).hasSize(2);
	}

	@Test
	void disconnectIsFinal() {
		connect();
		CompletableFuture<Void> done = this.connection.disconnect();
		this.embedded.run();
		// DISCONNECT
		assertThat(this.embedded.sent()).containsExactly(0xE0, 0x00);
		this.embedded.run();
		assertThat(done).isCompleted();
		assertThat(this.connection.state()).isEqualTo(ConnectionState.FINISHED);
		CompletableFuture<Boolean> again = this.connection.connect(true);
		this.embedded.run();
		assertThat(again).isCompletedExceptionally();
	}

}
