package io.umqtt.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SubscribeOptionsTests {

	@Test
	void defaultIsWhatMqtt311Does() {
		assertThat(SubscribeOptions.DEFAULT).isEqualTo(new SubscribeOptions(false, false, 0));
	}

	@Test
	void retainHandlingIsZeroToTwo() {
		assertThat(new SubscribeOptions(true, true, 2).retainHandling()).isEqualTo(2);
		// 3 is a protocol error [MQTT-3.8.3.1]
		assertThatIllegalArgumentException().isThrownBy(() -> new SubscribeOptions(false, false, 3));
		assertThatIllegalArgumentException().isThrownBy(() -> new SubscribeOptions(false, false, -1));
	}

}
