package io.umqtt.spring.boot.autoconfigure;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.umqtt.core.LastWill;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttProperties;
import io.umqtt.core.UserProperty;
import io.umqtt.spring.MqttClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last will's MQTT 5 keys ({@code last-will.delay}, {@code content-type},
 * {@code message-expiry}, {@code user-properties}), without connecting anywhere: on 5 the
 * client's will carries them, on 3 and 4 they fail the start-up naming the key.
 */
class UmqttMqtt5LastWillTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class))
		.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=1", "umqtt.reconn=false");

	@Test
	void onVersion5TheWillCarriesItsDelayAndProperties() {
		this.runner
			.withPropertyValues("umqtt.version=5", "umqtt.last-will.topic=devices/d7/status",
					"umqtt.last-will.msg=offline", "umqtt.last-will.qos=1", "umqtt.last-will.retain=true",
					"umqtt.last-will.delay=30", "umqtt.last-will.content-type=text/plain",
					"umqtt.last-will.message-expiry=10m", "umqtt.last-will.user-properties.site=north",
					"umqtt.last-will.user-properties.[rack.id]=r7", "umqtt.clients.sensors.version=5",
					"umqtt.clients.sensors.client-id=s", "umqtt.clients.sensors.last-will.topic=sensors/status",
					"umqtt.clients.sensors.last-will.delay=5s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				LastWill will = context.getBean(MqttClient.class).lastWill();
				assertThat(will.topic()).isEqualTo("devices/d7/status");
				assertThat(new String(will.message(), StandardCharsets.UTF_8)).isEqualTo("offline");
				assertThat(will.qos()).isEqualTo(1);
				assertThat(will.retain()).isTrue();
				assertThat(will.delay()).isEqualTo(Duration.ofSeconds(30));
				MqttProperties properties = will.properties();
				assertThat(properties.contentType()).isEqualTo("text/plain");
				assertThat(properties.messageExpiry()).isEqualTo(Duration.ofMinutes(10));
				assertThat(properties.userProperties()).containsExactly(new UserProperty("site", "north"),
						new UserProperty("rack.id", "r7"));
				LastWill named = context.getBean(MqttClients.class).get("sensors").lastWill();
				assertThat(named.topic()).isEqualTo("sensors/status");
				assertThat(named.delay()).isEqualTo(Duration.ofSeconds(5));
				assertThat(named.properties().isEmpty()).isTrue();
			});
	}

	@Test
	void onVersion5AWillWithoutTheKeysHasNoDelayOrProperties() {
		this.runner.withPropertyValues("umqtt.version=5", "umqtt.last-will.topic=t").run((context) -> {
			LastWill will = context.getBean(MqttClient.class).lastWill();
			assertThat(will.delay()).isEqualTo(Duration.ZERO);
			assertThat(will.properties().isEmpty()).isTrue();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "last-will.delay=30", "last-will.content-type=text/plain", "last-will.message-expiry=1m",
			"last-will.user-properties.site=north" })
	void aWillsMqtt5KeyOnVersion4FailsTheStartNamingIt(String setting) {
		String key = setting.substring(0, setting.indexOf('=')).replace(".site", "");
		this.runner.withPropertyValues("umqtt.last-will.topic=t", "umqtt." + setting).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(Mqtt5PropertyException.class)
				.hasMessage("umqtt." + key + " is an MQTT 5 setting; set umqtt.version: 5 (it is 4, MQTT 3.1.1)");
		});
	}

	@Test
	void aNamedClientsWillKeyNeedsItsOwnVersion() {
		this.runner
			.withPropertyValues("umqtt.version=5", "umqtt.clients.sensors.client-id=s",
					"umqtt.clients.sensors.last-will.topic=t", "umqtt.clients.sensors.last-will.delay=5")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
				assertThat(failure).isInstanceOf(Mqtt5PropertyException.class)
					.hasMessage("umqtt.clients.sensors.last-will.delay is an MQTT 5 setting; "
							+ "set umqtt.clients.sensors.version: 5 (it is 4, MQTT 3.1.1)");
			});
	}

	@Test
	void theIdeMetadataDescribesTheWillsMqtt5Keys() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonMapper.builder().build().readTree(in);
		}
		for (String key : new String[] { "delay", "content-type", "message-expiry", "user-properties" }) {
			JsonNode found = null;
			for (JsonNode property : metadata.path("properties")) {
				if (("umqtt.last-will." + key).equals(property.path("name").asString())) {
					found = property;
				}
			}
			assertThat(found).as(key).isNotNull();
			assertThat(found.path("description").asString()).as(key).startsWith("MQTT 5: ");
		}
	}

}
