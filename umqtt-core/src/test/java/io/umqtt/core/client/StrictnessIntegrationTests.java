package io.umqtt.core.client;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What the client refuses: a SUBACK that does not answer every filter, a CONNECT it
 * cannot encode or that breaks a rule, and what it tolerates: an acknowledgement for a
 * packet id not in flight.
 */
class StrictnessIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private MqttClient client(ConversationBroker broker, String prefix) {
		return this.clients.track(MqttClient.builder(Clients.id(prefix), "127.0.0.1")
			.port(broker.port())
			.reconn(false)
			.publishTimeout(Duration.ofSeconds(10))
			.build());
	}

	@Test
	void aSubAckWithTheWrongNumberOfReturnCodesIsAProtocolErrorThatClosesTheConnection() throws Exception {
		CompletableFuture<Boolean> clientClosed = new CompletableFuture<>();
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(false);
			ConversationBroker.Packet subscribe = c.read(8);
			// two return codes for one topic filter
			c.write(0x90, 0x04, subscribe.body()[0] & 0xFF, subscribe.body()[1] & 0xFF, 0x01, 0x01);
			try {
				c.read();
				clientClosed.complete(false);
			}
			catch (IOException ex) {
				clientClosed.complete(true);
			}
		})) {
			MqttClient client = client(broker, "suback-count");
			client.connect();
			assertThatThrownBy(() -> client.subscribe("strict/one", 1)).isInstanceOf(MqttException.class)
				.hasMessageContaining("2 return codes for 1 topic filters")
				.hasMessageContaining("[MQTT-3.9.3-1]");
			assertThat(clientClosed.get(10, TimeUnit.SECONDS)).as("the client closed the connection").isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> client.status() != MqttStatus.CONNECTED);
			assertThat(client.lastError()).contains("[MQTT-3.9.3-1]");
		}
	}

	@Test
	void anAcknowledgementForAPacketIdNotInFlightIsCountedAndIgnored() throws Exception {
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(false);
			// PUBACK, PUBREC and PUBCOMP for ids never used
			c.write(0x40, 0x02, 0x00, 0x4D, 0x50, 0x02, 0x00, 0x4E, 0x70, 0x02, 0x00, 0x4F);
			ConversationBroker.Packet publish = c.read(3);
			int id = publish.publishId();
			c.write(0x40, 0x02, id >> 8, id & 0xFF);
			c.read();
		})) {
			MqttClient client = client(broker, "stray-ack");
			client.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> client.unexpectedAcks() == 3);
			assertThat(client.publish("strict/after", "x".getBytes(), false, 1)).isTrue();
			assertThat(client.status()).isEqualTo(MqttStatus.CONNECTED);
			assertThat(client.unexpectedAcks()).isEqualTo(3);
		}
	}

	@Test
	void anUnencodableClientIdUserNameOrPasswordIsRefusedWhenTheClientIsBuilt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MqttClient.builder("c".repeat(65_536), "127.0.0.1").build())
			.withMessageContaining("client id is 65536 UTF-8 bytes");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MqttClient.builder("ok", "127.0.0.1").user("half \uD800 surrogate").build())
			.withMessageContaining("user name is not well-formed UTF-8 [MQTT-1.5.3-1]");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MqttClient.builder("ok", "127.0.0.1").user("u").password("p".repeat(65_536)).build())
			.withMessageContaining("password is 65536 bytes");
		assertThatIllegalArgumentException().isThrownBy(() -> new MqttClient("nul\u0000id", "127.0.0.1"))
			.withMessageContaining("U+0000");
	}

	@Test
	void anEmptyClientIdWithCleanSessionFalseIsRefusedBeforeConnecting() throws Exception {
		try (ConversationBroker broker = new ConversationBroker((n, c) -> {
			c.accept(false);
			c.read();
		})) {
			MqttClient client = this.clients.track(MqttClient.builder("", "127.0.0.1").port(broker.port()).build());
			assertThatThrownBy(() -> client.connect(false)).isInstanceOf(MqttException.class)
				.hasMessageContaining("[MQTT-3.1.3-7]")
				.satisfies((ex) -> assertThat(((MqttException) ex).returnCode()).isEqualTo(2));
			assertThatThrownBy(() -> client.connectAsync(false)).isInstanceOf(MqttException.class)
				.hasMessageContaining("[MQTT-3.1.3-7]");
			assertThat(broker.connections()).isZero();
			// with a clean session an empty id is fine [MQTT-3.1.3-6]
			assertThat(client.connect(true)).isZero();
		}
	}

}
