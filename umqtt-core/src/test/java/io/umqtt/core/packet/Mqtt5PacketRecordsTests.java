package io.umqtt.core.packet;

import java.util.List;

import io.netty.buffer.Unpooled;
import io.umqtt.core.SubscribeOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The MQTT 5 components of the packet records, and the 3.1.1 constructors that default
 * them.
 */
class Mqtt5PacketRecordsTests {

	@Test
	void mqtt311ConstructorsMeanNoPropertiesAndSuccess() {
		assertThat(new PubAck(1)).isEqualTo(new PubAck(1, 0, PacketProperties.NONE)).hasToString("PubAck[packetId=1]");
		assertThat(new PubRel(2)).isEqualTo(new PubRel(2, 0, PacketProperties.NONE));
		assertThat(new ConnAck(true, 0)).isEqualTo(new ConnAck(true, 0, PacketProperties.NONE));
		assertThat(new UnsubAck(3).reasonCodes()).isEmpty();
		assertThat(new Subscription("a", 1).options()).isEqualTo(SubscribeOptions.DEFAULT);
		assertThat(new Subscribe(1, List.of(new Subscription("a", 1))).properties()).isSameAs(PacketProperties.NONE);
		assertThat(Disconnect.INSTANCE).isEqualTo(new Disconnect(0, PacketProperties.NONE)).hasToString("Disconnect[]");
		assertThat(new Will("t", new byte[0], 0, false).properties()).isSameAs(PacketProperties.NONE);
		assertThat(new Publish("t", 0, false, false, 0, Unpooled.EMPTY_BUFFER).properties())
			.isSameAs(PacketProperties.NONE);
	}

	@Test
	void mqtt311SubAckConstructorStillRefusesMqtt5Codes() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SubAck(1, List.of(0x87)))
			.withMessageContaining("[MQTT-3.9.3-2]");
		assertThat(new SubAck(1, List.of(0x87), PacketProperties.NONE).returnCodes()).containsExactly(0x87);
		assertThatIllegalArgumentException().isThrownBy(() -> new SubAck(1, List.of(0x03), PacketProperties.NONE));
	}

	@Test
	void reasonCodesAreCheckedAgainstThePacketsTable() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PubAck(1, 0x92, PacketProperties.NONE));
		assertThatIllegalArgumentException().isThrownBy(() -> new PubComp(1, 0x10, PacketProperties.NONE));
		assertThatIllegalArgumentException().isThrownBy(() -> new Disconnect(0x01, PacketProperties.NONE));
		assertThatIllegalArgumentException().isThrownBy(() -> new Auth(0x80, PacketProperties.NONE))
			.withMessageContaining("[MQTT-3.15.2.1]");
		assertThatIllegalArgumentException().isThrownBy(() -> new UnsubAck(1, List.of(0x10), PacketProperties.NONE));
		assertThat(new Auth(0x19, PacketProperties.NONE).type()).isEqualTo(15);
	}

	@Test
	void connectAtLevel5TakesPropertiesAndAPasswordWithoutUserName() {
		PacketProperties properties = PacketProperties.builder().sessionExpiryInterval(60).build();
		Connect connect = new Connect(5, true, 0, "c", null, null, new byte[] { 1 }, properties);
		assertThat(connect.protocolName()).isEqualTo("MQTT");
		assertThat(connect.toString()).contains("sessionExpiry=60").doesNotContain("[1]");
		// 3.1.1 has neither [MQTT-3.1.2-22]
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Connect(4, true, 0, "c", null, null, new byte[] { 1 }));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Connect(4, true, 0, "c", null, null, null, properties));
		assertThatIllegalArgumentException().isThrownBy(() -> new Connect(4, true, 0, "c",
				new Will("t", new byte[0], 0, false, PacketProperties.builder().willDelayInterval(5).build()), null,
				null));
	}

	@Test
	void willDelayIsAWillProperty() {
		Will will = new Will("t", new byte[0], 1, false, PacketProperties.builder().willDelayInterval(90).build());
		assertThat(will.delaySeconds()).isEqualTo(90);
		assertThat(new Will("t", new byte[0], 1, false).delaySeconds()).isZero();
	}

	@Test
	void propertiesBuilderChecksRangesAndAnEmptyBuildIsNone() {
		assertThat(PacketProperties.builder().build()).isSameAs(PacketProperties.NONE);
		assertThatIllegalArgumentException().isThrownBy(() -> PacketProperties.builder().receiveMaximum(0));
		assertThatIllegalArgumentException().isThrownBy(() -> PacketProperties.builder().topicAlias(0));
		assertThatIllegalArgumentException().isThrownBy(() -> PacketProperties.builder().maximumQos(2));
		assertThatIllegalArgumentException().isThrownBy(() -> PacketProperties.builder().maximumPacketSize(0));
		assertThatIllegalArgumentException().isThrownBy(() -> PacketProperties.builder().subscriptionIdentifier(0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PacketProperties.builder().sessionExpiryInterval(0x1_0000_0000L));
		PacketProperties some = PacketProperties.builder().reasonString("r").authenticationData(new byte[3]).build();
		assertThat(some.toString()).contains("reasonString=r", "authenticationData=3 bytes");
		assertThat(some.toBuilder().build()).isEqualTo(some).hasSameHashCodeAs(some);
	}

}
