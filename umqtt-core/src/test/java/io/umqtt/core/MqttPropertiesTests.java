package io.umqtt.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class MqttPropertiesTests {

	@Test
	void noneHasNothingAndGettersSayAbsent() {
		MqttProperties none = MqttProperties.NONE;
		assertThat(none.payloadFormatUtf8()).isFalse();
		assertThat(none.messageExpiry()).isNull();
		assertThat(none.contentType()).isNull();
		assertThat(none.responseTopic()).isNull();
		assertThat(none.correlationData()).isNull();
		assertThat(none.userProperties()).isEmpty();
		assertThat(none.subscriptionIdentifiers()).isEmpty();
		assertThat(none.isEmpty()).isTrue();
		assertThat(MqttProperties.builder().build()).isEqualTo(none).hasSameHashCodeAs(none);
		assertThat(none).hasToString("MqttProperties[]");
	}

	@Test
	void builderSetsEveryPropertyAndGettersOfTheSameNamesReadThem() {
		MqttProperties properties = MqttProperties.builder()
			.payloadFormatUtf8(true)
			.messageExpiry(Duration.ofMinutes(2))
			.contentType("application/json")
			.responseTopic("replies/a")
			.correlationData(new byte[] { 1, 2 })
			.userProperty("k", "1")
			.userProperty("k", "2")
			.userProperty("a", "3")
			.build();
		assertThat(properties.payloadFormatUtf8()).isTrue();
		assertThat(properties.messageExpiry()).isEqualTo(Duration.ofSeconds(120));
		assertThat(properties.contentType()).isEqualTo("application/json");
		assertThat(properties.responseTopic()).isEqualTo("replies/a");
		assertThat(properties.correlationData()).containsExactly(1, 2);
		// wire order, names repeating [MQTT-3.3.2-18]
		assertThat(properties.userProperties()).containsExactly(new UserProperty("k", "1"), new UserProperty("k", "2"),
				new UserProperty("a", "3"));
		assertThat(properties.isEmpty()).isFalse();
		assertThat(properties.toBuilder().build()).isEqualTo(properties).hasSameHashCodeAs(properties);
		assertThat(properties.toString()).contains("contentType=application/json", "correlationData=2 bytes");
	}

	@Test
	void isImmutableAgainstTheArraysAndListsItWasGivenOrGives() {
		byte[] data = { 1 };
		MqttProperties properties = MqttProperties.builder().correlationData(data).build();
		data[0] = 9;
		properties.correlationData()[0] = 8;
		assertThat(properties.correlationData()).containsExactly(1);
		assertThatThrownByAdding(properties);
	}

	private static void assertThatThrownByAdding(MqttProperties properties) {
		org.assertj.core.api.Assertions.assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> properties.userProperties().add(new UserProperty("a", "b")));
	}

	@Test
	void messageExpiryIsWholeSecondsRoundedUpWithinFourBytes() {
		assertThat(MqttProperties.builder().messageExpiry(Duration.ofMillis(1500)).build().messageExpiry())
			.isEqualTo(Duration.ofSeconds(2));
		assertThat(MqttProperties.builder().messageExpiry(Duration.ofSeconds(0xFFFF_FFFFL)).build().messageExpiry())
			.hasSeconds(4_294_967_295L);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MqttProperties.builder().messageExpiry(Duration.ofSeconds(0x1_0000_0000L)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MqttProperties.builder().messageExpiry(Duration.ofSeconds(-1)));
	}

	@Test
	void settersRefuseWhatCannotBeSent() {
		// a response topic is a topic name: no wildcards [MQTT-3.3.2-14]
		assertThatIllegalArgumentException().isThrownBy(() -> MqttProperties.builder().responseTopic("a/+"));
		// UTF-8 strings without U+0000 [MQTT-1.5.4-2]
		assertThatIllegalArgumentException().isThrownBy(() -> MqttProperties.builder().contentType("a\0b"))
			.withMessageContaining("[MQTT-1.5.4-2]");
		assertThatIllegalArgumentException().isThrownBy(() -> MqttProperties.builder().userProperty("\uD800", "v"))
			.withMessageContaining("[MQTT-1.5.4-1]");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MqttProperties.builder().correlationData(new byte[65_536]));
		assertThatIllegalArgumentException().isThrownBy(() -> MqttProperties.builder().subscriptionIdentifier(0));
		assertThatNullPointerException().isThrownBy(() -> MqttProperties.builder().userProperty("k", null));
	}

	@Test
	void subscriptionIdentifiersAreKeptInOrder() {
		MqttProperties properties = MqttProperties.builder()
			.subscriptionIdentifier(3)
			.subscriptionIdentifier(268_435_455)
			.build();
		assertThat(properties.subscriptionIdentifiers()).containsExactly(3, 268_435_455);
	}

	@Test
	void userPropertyIsANameAndAValueBothRequired() {
		assertThat(new UserProperty("n", "v")).isEqualTo(new UserProperty("n", "v"));
		assertThat(new UserProperty("", "").name()).isEmpty();
		assertThatNullPointerException().isThrownBy(() -> new UserProperty(null, "v"));
		assertThatNullPointerException().isThrownBy(() -> new UserProperty("n", null));
	}

}
