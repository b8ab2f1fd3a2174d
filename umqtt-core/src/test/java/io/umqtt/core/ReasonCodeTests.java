package io.umqtt.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReasonCodeTests {

	@Test
	void namesAreTheSpecificationsAndTheTextCarriesTheValue() {
		assertThat(ReasonCode.describe(0x8E, 14)).isEqualTo("Session taken over (0x8E)");
		assertThat(ReasonCode.name(0x87)).isEqualTo("Not authorized");
		assertThat(ReasonCode.name(0x10, 4)).isEqualTo("No matching subscribers");
		assertThat(ReasonCode.name(0xA2)).isEqualTo("Wildcard Subscriptions not supported");
		assertThat(ReasonCode.name(0x03)).isEqualTo("Unknown reason code");
		assertThat(ReasonCode.hex(4)).isEqualTo("0x04");
	}

	@Test
	void zeroIsNamedByItsPacket() {
		assertThat(ReasonCode.name(0x00, 14)).isEqualTo("Normal disconnection");
		assertThat(ReasonCode.name(0x00, 9)).isEqualTo("Granted QoS 0");
		assertThat(ReasonCode.name(0x00, 4)).isEqualTo("Success");
	}

	@Test
	void eachPacketHasItsOwnSetOfCodes() {
		// [MQTT-3.4.2-1]: PUBACK; [MQTT-3.6.2-1]: PUBREL; [MQTT-3.14.2-1]: DISCONNECT;
		// [MQTT-3.15.2-1]: AUTH
		assertThat(ReasonCode.allowed(4, 0x10)).isTrue();
		assertThat(ReasonCode.allowed(6, 0x10)).isFalse();
		assertThat(ReasonCode.allowed(6, 0x92)).isTrue();
		assertThat(ReasonCode.allowed(14, 0x8E)).isTrue();
		assertThat(ReasonCode.allowed(2, 0x8E)).isFalse();
		assertThat(ReasonCode.allowed(15, 0x18)).isTrue();
		assertThat(ReasonCode.allowed(15, 0x80)).isFalse();
		assertThat(ReasonCode.allowed(9, 0x02)).isTrue();
		assertThat(ReasonCode.allowed(11, 0x02)).isFalse();
		// packets without reason codes, and values out of range
		assertThat(ReasonCode.allowed(3, 0x00)).isFalse();
		assertThat(ReasonCode.allowed(4, 256)).isFalse();
		assertThat(ReasonCode.allowed(16, 0)).isFalse();
	}

	@Test
	void everyNamedCodeIsAllowedOnSomePacketAndErrorsStartAt0x80() {
		for (int code = 0; code < 256; code++) {
			boolean somewhere = false;
			for (int type = 1; type <= 15; type++) {
				somewhere |= ReasonCode.allowed(type, code);
			}
			assertThat(somewhere).as("code %s", ReasonCode.hex(code))
				.isEqualTo(!ReasonCode.name(code).equals("Unknown reason code"));
		}
		assertThat(ReasonCode.isError(0x80)).isTrue();
		assertThat(ReasonCode.isError(0x19)).isFalse();
	}

}
