package io.umqtt.core;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code version(5)} and the Builder setters only MQTT 5 knows.
 */
class Mqtt5BuilderTests {

	private static final MqttAuthenticator AUTHENTICATOR = new MqttAuthenticator() {

		@Override
		public String method() {
			return "TEST";
		}

		@Override
		public byte[] initialData() {
			return null;
		}

		@Override
		public byte[] onChallenge(byte[] data) {
			return data;
		}

	};

	private static final Map<String, UnaryOperator<MqttClient.Builder>> MQTT5_SETTERS = Map.of("sessionExpiry",
			(b) -> b.sessionExpiry(Duration.ofMinutes(1)), "receiveMaximum", (b) -> b.receiveMaximum(10),
			"topicAliasMaximum", (b) -> b.topicAliasMaximum(5), "topicAliases", (b) -> b.topicAliases(false),
			"requestResponseInformation", (b) -> b.requestResponseInformation(true), "userProperty",
			(b) -> b.userProperty("a", "b"), "authenticator", (b) -> b.authenticator(AUTHENTICATOR));

	@Test
	void version5IsAcceptedWithEveryMqtt5Setter() {
		MqttClient.Builder builder = MqttClient.builder("c", "127.0.0.1").version(5);
		MQTT5_SETTERS.values().forEach((setter) -> setter.apply(builder));
		assertThat(builder.build()).isNotNull();
	}

	@Test
	void eachMqtt5SetterFailsBuildOnVersions3And4NamingTheSetter() {
		for (int version : new int[] { 3, 4 }) {
			MQTT5_SETTERS.forEach((name, setter) -> assertThatIllegalStateException()
				.isThrownBy(() -> setter.apply(MqttClient.builder("c", "127.0.0.1").version(version)).build())
				.withMessageContaining(name)
				.withMessageContaining("version(5)"));
		}
		// the default version is 4
		assertThatIllegalStateException()
			.isThrownBy(() -> MqttClient.builder("c", "127.0.0.1").receiveMaximum(5).build())
			.withMessageContaining("receiveMaximum");
	}

	@Test
	void mqtt5SettersCheckTheirRange() {
		MqttClient.Builder builder = MqttClient.builder("c", "127.0.0.1").version(5);
		assertThatIllegalArgumentException().isThrownBy(() -> builder.receiveMaximum(0));
		assertThatIllegalArgumentException().isThrownBy(() -> builder.receiveMaximum(65_536));
		assertThatIllegalArgumentException().isThrownBy(() -> builder.topicAliasMaximum(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> builder.sessionExpiry(Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> builder.sessionExpiry(Duration.ofSeconds(0x1_0000_0000L)));
		builder.sessionExpiry(Duration.ofSeconds(0xFFFF_FFFFL));
		assertThatIllegalArgumentException().isThrownBy(() -> builder.userProperty("a", "\u0000"));
		assertThatIllegalArgumentException().isThrownBy(() -> MqttClient.builder("c", "h").version(6));
	}

	@Test
	void aPasswordWithoutUserNameIsAllowedOn5Only() {
		// [MQTT-3.1.2-22] on 3.1.1; MQTT 5 allows a password without a user name
		assertThat(MqttClient.builder("c", "127.0.0.1").version(5).password("p").build()).isNotNull();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MqttClient.builder("c", "127.0.0.1").password("p").build());
	}

	@Test
	void beforeAConnectionServerLimitsAreTheProtocolDefaults() {
		MqttClient client = MqttClient.builder("c", "127.0.0.1").version(5).build();
		assertThat(client.serverLimits()).isEqualTo(ServerLimits.DEFAULTS);
		assertThat(client.assignedClientId()).isNull();
	}

	@Test
	void exceptionsCarryAReasonCode() {
		assertThat(new MqttException("x").reasonCode()).isEqualTo(MqttException.NO_CODE);
		assertThat(MqttException.refused(5).reasonCode()).isEqualTo(5);
		MqttException refused = MqttException.refused5(0x87, "no entry");
		assertThat(refused.reasonCode()).isEqualTo(0x87);
		assertThat(refused.returnCode()).isEqualTo(0x87);
		assertThat(refused).hasMessage("Connection refused: Not authorized (0x87): no entry");
	}

}
