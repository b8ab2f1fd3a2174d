package io.umqtt.core.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.umqtt.core.MqttAuthenticator;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.packet.Auth;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.Disconnect;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 enhanced authentication (4.12) through {@link MqttAuthenticator}: the server's
 * challenges while connecting and during a re-authentication, answered until CONNACK or
 * AUTH Success, and the server's protocol errors. Against the scripted broker: Mosquitto
 * here has no enhanced authentication plugin.
 */
class Mqtt5AuthenticationIntegrationTests {

	private static final String METHOD = "X-TEST-CHALLENGE";

	@RegisterExtension
	final Clients clients = new Clients();

	static byte[] encode(Packet packet) {
		ByteBuf buffer = Unpooled.buffer();
		PacketEncoder.MQTT_5.encode(packet, buffer);
		return ByteBufUtil.getBytes(buffer);
	}

	static Packet decode(byte[] bytes) {
		return new PacketDecoder(PacketDecoder.DEFAULT_MAX_PACKET_SIZE, 5).decode(Unpooled.wrappedBuffer(bytes));
	}

	static byte[] auth(int reasonCode, String method, String data) {
		var properties = PacketProperties.builder().authenticationMethod(method);
		if (data != null) {
			properties.authenticationData(data.getBytes(StandardCharsets.UTF_8));
		}
		return encode(new Auth(reasonCode, properties.build()));
	}

	static byte[] connack(int reasonCode) {
		PacketProperties properties = (reasonCode == 0)
				? PacketProperties.builder().authenticationMethod(METHOD).build()
				: PacketProperties.builder().reasonString("bad proof").build();
		return encode(new ConnAck(false, reasonCode, properties));
	}

	static String data(byte[] authPacket) {
		byte[] data = ((Auth) decode(authPacket)).properties().authenticationData();
		return (data != null) ? new String(data, StandardCharsets.UTF_8) : null;
	}

	/**
	 * Answers each challenge with {@code proof:<challenge>}, and records the challenges.
	 */
	static final class Prover implements MqttAuthenticator {

		final List<String> challenges = new CopyOnWriteArrayList<>();

		@Override
		public String method() {
			return METHOD;
		}

		@Override
		public byte[] initialData() {
			return "hello".getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public byte[] onChallenge(byte[] data) {
			String challenge = new String(data, StandardCharsets.UTF_8);
			this.challenges.add(challenge);
			return ("proof:" + challenge).getBytes(StandardCharsets.UTF_8);
		}

	}

	private MqttClient client(ScriptedBroker broker, MqttAuthenticator authenticator) {
		MqttClient.Builder builder = MqttClient.builder(Clients.id("v5-auth"), "127.0.0.1")
			.port(broker.port())
			.version(5)
			.reconn(false)
			.connectTimeout(Duration.ofSeconds(5));
		if (authenticator != null) {
			builder.authenticator(authenticator);
		}
		return this.clients.track(builder.build());
	}

	@Test
	void theServersChallengesAreAnsweredUntilConnack() throws Exception {
		// [MQTT-4.12.0-2] the server's AUTH 0x18, [MQTT-4.12.0-3] the client answers
		// with AUTH 0x18, [MQTT-4.12.0-5] every AUTH with the method of CONNECT
		Prover prover = new Prover();
		try (ScriptedBroker broker = ScriptedBroker.answering(auth(0x18, METHOD, "nonce-1"))) {
			broker.answeringAuths((packet) -> switch (data(packet)) {
				case "proof:nonce-1" -> auth(0x18, METHOD, "nonce-2");
				case "proof:nonce-2" -> connack(0);
				default -> connack(0x87);
			});
			MqttClient client = client(broker, prover);
			assertThat(client.connect()).isZero();
			Connect connect = (Connect) decode(broker.connects().get(0));
			assertThat(connect.properties().authenticationMethod()).isEqualTo(METHOD);
			assertThat(connect.properties().authenticationData()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
			assertThat(prover.challenges).containsExactly("nonce-1", "nonce-2");
			assertThat(broker.auths()).hasSize(2).allSatisfy((packet) -> {
				Auth auth = (Auth) decode(packet);
				assertThat(auth.reasonCode()).isEqualTo(0x18);
				assertThat(auth.properties().authenticationMethod()).isEqualTo(METHOD);
				// no Reason String [MQTT-3.15.2-2] nor User Property [MQTT-3.15.2-3] that
				// could outgrow the server's Maximum Packet Size
				assertThat(auth.properties().reasonString()).isNull();
				assertThat(auth.properties().userProperties()).isEmpty();
			});
		}
	}

	@Test
	void untilTheConnackTheClientSendsOnlyAuth() throws Exception {
		// a PUBLISH asked for in the middle of the exchange
		AtomicReference<MqttClient> self = new AtomicReference<>();
		Prover prover = new Prover();
		MqttAuthenticator publishing = new MqttAuthenticator() {

			@Override
			public String method() {
				return prover.method();
			}

			@Override
			public byte[] initialData() {
				return prover.initialData();
			}

			@Override
			public byte[] onChallenge(byte[] data) {
				self.get().publishAsync("v5/early", "early", false, 0);
				return prover.onChallenge(data);
			}

		};
		try (ScriptedBroker broker = ScriptedBroker.answering(auth(0x18, METHOD, "nonce-1"))) {
			broker.answeringAuths((packet) -> switch (data(packet)) {
				case "proof:nonce-1" -> auth(0x18, METHOD, "nonce-2");
				case "proof:nonce-2" -> connack(0);
				default -> connack(0x87);
			});
			MqttClient client = client(broker, publishing);
			self.set(client);
			assertThat(client.connect()).isZero();
			// [MQTT-3.1.2-30]: CONNECT with an Authentication Method, then only AUTH
			// until the CONNACK; the PUBLISH goes out after it
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(broker.received(1)).containsExactly(1, 15, 15, 3, 3));
		}
	}

	@Test
	void aConnackRefusalAfterTheChallengeThrowsWithItsReasonCode() throws Exception {
		// [MQTT-4.12.0-4]: the server rejects the authentication with a CONNACK of
		// 0x80 or above
		try (ScriptedBroker broker = ScriptedBroker.answering(auth(0x18, METHOD, "nonce-1"))) {
			broker.answeringAuths((packet) -> connack(0x87));
			MqttClient client = client(broker, new Prover());
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.satisfies((ex) -> assertThat(ex.reasonCode()).isEqualTo(0x87))
				.withMessage("Connection refused: Not authorized (0x87): bad proof");
		}
	}

	@Test
	void anAuthWithAnotherMethodIsAProtocolError() throws Exception {
		// [MQTT-4.12.0-5]: every AUTH carries the Authentication Method of CONNECT
		try (ScriptedBroker broker = ScriptedBroker.answering(auth(0x18, "SCRAM-SHA-1", "nonce-1"))) {
			Prover prover = new Prover();
			MqttClient client = client(broker, prover);
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.withMessageContaining("'SCRAM-SHA-1', not 'X-TEST-CHALLENGE'");
			await().atMost(Duration.ofSeconds(10)).until(() -> !broker.disconnects().isEmpty());
			assertThat(broker.disconnects().get(0)[0] & 0xFF).isEqualTo(0x82);
			assertThat(prover.challenges).isEmpty();
			assertThat(broker.auths()).isEmpty();
		}
	}

	@Test
	void anAuthWithoutAnAuthenticatorIsAProtocolError() throws Exception {
		// [MQTT-4.12.0-6]: without an Authentication Method in CONNECT the server must
		// not send AUTH; [MQTT-4.12.0-7]: and the client sends none
		try (ScriptedBroker broker = ScriptedBroker.answering(auth(0x18, METHOD, "nonce-1"))) {
			MqttClient client = client(broker, null);
			assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
				.withMessageContaining("[MQTT-4.12.0-6]");
			await().atMost(Duration.ofSeconds(10)).until(() -> !broker.disconnects().isEmpty());
			assertThat(broker.disconnects().get(0)[0] & 0xFF).isEqualTo(0x82);
			assertThat(broker.auths()).isEmpty();
		}
	}

	@Test
	void reauthenticationSendsAuth0x19AndCompletesOnTheServersSuccess() throws Exception {
		// [MQTT-4.12.1-1]: AUTH 0x19 with the method of CONNECT, then the challenges
		// as on connect, until the server's AUTH 0x00
		Prover prover = new Prover();
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(0))) {
			broker.answeringAuths((packet) -> (((Auth) decode(packet)).reasonCode() == 0x19)
					? auth(0x18, METHOD, "renew-1") : auth(0x00, METHOD, null));
			MqttClient client = client(broker, prover);
			client.connect();
			client.reauthenticate().get(10, TimeUnit.SECONDS);
			assertThat(broker.auths()).hasSize(2);
			Auth start = (Auth) decode(broker.auths().get(0));
			assertThat(start.reasonCode()).isEqualTo(0x19);
			assertThat(start.properties().authenticationMethod()).isEqualTo(METHOD);
			assertThat(data(broker.auths().get(0))).isEqualTo("hello");
			assertThat(data(broker.auths().get(1))).isEqualTo("proof:renew-1");
			assertThat(prover.challenges).containsExactly("renew-1");
			// the connection stays, and a second re-authentication may follow
			client.reauthenticate().get(10, TimeUnit.SECONDS);
			assertThat(broker.auths()).hasSize(4);
			assertThat(client.getMqttsta()).isZero();
		}
	}

	@Test
	void reauthenticationFailsWhenTheServerDisconnects() throws Exception {
		// [MQTT-4.12.1-2]: a failed re-authentication ends with DISCONNECT and the
		// close
		byte[] refusal = encode(new Disconnect(0x87, PacketProperties.NONE));
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(0))) {
			broker.answeringAuths((packet) -> refusal);
			MqttClient client = client(broker, new Prover());
			client.connect();
			CompletableFuture<Void> renewal = client.reauthenticate();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> renewal.get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(MqttException.class)
				.satisfies((ex) -> assertThat(((MqttException) ex).reasonCode()).isEqualTo(0x87))
				.withMessageContaining("Not authorized (0x87)");
		}
	}

	@Test
	void reauthenticationWithoutAnAuthenticatorFailsAndSendsNothing() throws Exception {
		// [MQTT-4.12.0-7]: no Authentication Method in CONNECT, no AUTH from the client
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(0))) {
			MqttClient client = client(broker, null);
			client.connect();
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> client.reauthenticate().get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(MqttException.class)
				.withMessageContaining("needs an authenticator");
			assertThat(broker.auths()).isEmpty();
			assertThat(client.getMqttsta()).isZero();
		}
	}

	@Test
	void anAuthSuccessNobodyAskedForIsAProtocolError() throws Exception {
		try (ScriptedBroker broker = ScriptedBroker.answering(connack(0)).sendAfterConnack(auth(0x00, METHOD, null))) {
			MqttClient client = client(broker, new Prover());
			client.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> !broker.disconnects().isEmpty());
			assertThat(broker.disconnects().get(0)[0] & 0xFF).isEqualTo(0x82);
		}
	}

}
