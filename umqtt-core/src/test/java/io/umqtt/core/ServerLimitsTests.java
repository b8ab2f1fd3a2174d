package io.umqtt.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ServerLimitsTests {

	@Test
	void defaultsAreTheProtocolsForAServerThatAnnouncesNothing() {
		ServerLimits limits = ServerLimits.DEFAULTS;
		// [MQTT-3.2.2.3]: absent properties mean these
		assertThat(limits.receiveMaximum()).isEqualTo(65_535);
		assertThat(limits.maximumQos()).isEqualTo(2);
		assertThat(limits.retainAvailable()).isTrue();
		assertThat(limits.maximumPacketSize()).isZero();
		assertThat(limits.topicAliasMaximum()).isZero();
		assertThat(limits.wildcardSubscriptionAvailable()).isTrue();
		assertThat(limits.subscriptionIdentifiersAvailable()).isTrue();
		assertThat(limits.sharedSubscriptionAvailable()).isTrue();
		assertThat(limits.serverKeepAlive()).isNull();
		assertThat(limits.responseInformation()).isNull();
	}

	@Test
	void valuesOutsideTheirWireRangesAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ServerLimits(0, 2, true, 0, 0, true, true, true, null, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ServerLimits(1, 3, true, 0, 0, true, true, true, null, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ServerLimits(1, 2, true, 0x1_0000_0000L, 0, true, true, true, null, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ServerLimits(1, 2, true, 0, 65_536, true, true, true, null, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ServerLimits(1, 2, true, 0, 0, true, true, true, Duration.ofSeconds(65_536), null));
		assertThat(new ServerLimits(1, 0, false, 0xFFFF_FFFFL, 65_535, false, false, false, Duration.ZERO, "r/")
			.maximumPacketSize()).isEqualTo(4_294_967_295L);
	}

	@Test
	void anAuthenticatorAnswersChallengesWithItsOwnData() {
		MqttAuthenticator authenticator = new MqttAuthenticator() {
			@Override
			public String method() {
				return "TOKEN";
			}

			@Override
			public byte[] initialData() {
				return new byte[] { 1 };
			}

			@Override
			public byte[] onChallenge(byte[] data) {
				return new byte[] { (byte) (data[0] + 1) };
			}
		};
		assertThat(authenticator.method()).isEqualTo("TOKEN");
		assertThat(authenticator.onChallenge(authenticator.initialData())).containsExactly(2);
	}

}
