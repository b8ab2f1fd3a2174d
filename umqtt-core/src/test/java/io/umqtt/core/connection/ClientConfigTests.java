package io.umqtt.core.connection;

import io.umqtt.core.ClientConfigs;
import io.umqtt.core.MqttClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What an error text shows of the client's credentials. */
class ClientConfigTests {

	private final ClientConfig config = ClientConfigs
		.of(MqttClient.builder("masking", "mqtt.example.com").user("mqtt").password("s3cr3t-pw"));

	@Test
	void thePasswordIsHiddenWhereverItAppears() {
		assertThat(this.config.masked("refused: bad password s3cr3t-pw for mqtt"))
			.isEqualTo("refused: bad password ****** for mqtt");
	}

	@Test
	void uriUserInformationIsHidden() {
		assertThat(this.config.masked("cannot reach tcp://mqtt:other@mqtt.example.com:1883"))
			.isEqualTo("cannot reach tcp://******@mqtt.example.com:1883");
	}

	@Test
	void theUserNameElsewhereStaysSoTheTextStillSaysWhatWentWrong() {
		assertThat(this.config.masked("Connection to mqtt.example.com:1883 failed: connection refused"))
			.isEqualTo("Connection to mqtt.example.com:1883 failed: connection refused");
	}

}
