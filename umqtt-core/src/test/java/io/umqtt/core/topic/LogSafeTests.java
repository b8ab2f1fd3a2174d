package io.umqtt.core.topic;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Topics and broker text in log lines and exception messages: control characters escaped,
 * long topics truncated.
 */
class LogSafeTests {

	@Test
	void controlCharactersAreEscapedSoATopicCannotForgeALogLine() {
		assertThat(LogSafe.text("a\r\nWARN forged\tline\u0000\u007F\u2028"))
			.isEqualTo("a\\r\\nWARN forged\\tline\\u0000\\u007F\\u2028");
		String plain = "sensors/room-1/température";
		assertThat(LogSafe.text(plain)).isSameAs(plain);
	}

	@Test
	void aLongTopicIsTruncatedTo200CharactersWithItsSize() {
		String topic = "t".repeat(65_535);
		assertThat(LogSafe.topic(topic)).isEqualTo("t".repeat(200) + "…(65535 bytes)");
	}

	@Test
	void anInvalidTopicOf64KibKeepsItsExceptionMessageShort() {
		assertThatIllegalArgumentException().isThrownBy(() -> TopicName.check("#".repeat(65_535)))
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(400)
				.contains("…(65535 bytes)")
				.contains("[MQTT-3.3.2-2]"));
		assertThatIllegalArgumentException().isThrownBy(() -> TopicFilter.check("a#".repeat(40_000)))
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(400));
	}

}
