package io.umqtt.spring.boot.autoconfigure;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import io.umqtt.spring.MqttClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code umqtt.version: 5} and the MQTT 5 connection keys, without connecting anywhere:
 * binding, the start-up failure for a key set on version 3 or 4 and its analysis, and the
 * IDE metadata.
 */
class UmqttMqtt5PropertiesTests {

	private static final List<String> MQTT5_KEYS = List.of("session-expiry", "receive-maximum", "topic-alias-maximum",
			"topic-aliases", "request-response-information", "user-properties");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class))
		.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=1", "umqtt.reconn=false");

	@ParameterizedTest
	@ValueSource(strings = { "session-expiry=1h", "receive-maximum=10", "topic-alias-maximum=5", "topic-aliases=false",
			"request-response-information=true", "user-properties.zone=eu" })
	void anMqtt5KeyOnVersion4FailsTheStartNamingIt(String setting) {
		String key = setting.substring(0, setting.indexOf('=')).replace(".zone", "");
		this.runner.withPropertyValues("umqtt." + setting).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(Mqtt5PropertyException.class)
				.hasMessage("umqtt." + key + " is an MQTT 5 setting; set umqtt.version: 5 (it is 4, MQTT 3.1.1)");
		});
	}

	@Test
	void aNamedClientsMqtt5KeyNeedsItsOwnVersion() {
		// the top level on 5 does not make a named client 5: version is not inherited
		this.runner
			.withPropertyValues("umqtt.version=5", "umqtt.session-expiry=1h", "umqtt.clients.sensors.client-id=s",
					"umqtt.clients.sensors.session-expiry=10m", "umqtt.clients.sensors.user-properties.site=north")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
				assertThat(failure).isInstanceOf(Mqtt5PropertyException.class);
				assertThat(failure).hasMessage("umqtt.clients.sensors.session-expiry, "
						+ "umqtt.clients.sensors.user-properties are MQTT 5 settings; "
						+ "set umqtt.clients.sensors.version: 5 (it is 4, MQTT 3.1.1)");
				FailureAnalysis analysis = new Mqtt5PropertyFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).isEqualTo("umqtt.clients.sensors.session-expiry, "
						+ "umqtt.clients.sensors.user-properties are MQTT 5 settings, but "
						+ "umqtt.clients.sensors.version is 4 (MQTT 3.1.1), which cannot send them.");
				assertThat(analysis.getAction()).isEqualTo("Set umqtt.clients.sensors.version: 5, or remove "
						+ "umqtt.clients.sensors.session-expiry, umqtt.clients.sensors.user-properties. "
						+ "A named client does not take umqtt.version from the top level.");
			});
	}

	@Test
	void theFailureAnalysisNamesTheKeyAndTheVersionToSet() {
		this.runner.withPropertyValues("umqtt.version=3", "umqtt.receive-maximum=10").run((context) -> {
			FailureAnalysis analysis = new Mqtt5PropertyFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo("umqtt.receive-maximum is an MQTT 5 setting, but "
					+ "umqtt.version is 3 (MQTT 3.1), which cannot send it.");
			assertThat(analysis.getAction()).isEqualTo("Set umqtt.version: 5, or remove umqtt.receive-maximum.");
		});
	}

	@Test
	void theFailureAnalyzerIsRegistered() {
		// Boot's own analyzers need arguments this loader does not give: skipped
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
			}));
		assertThat(analyzers).hasAtLeastOneElementOfType(Mqtt5PropertyFailureAnalyzer.class);
	}

	@Test
	void mqtt5KeysOnVersion5Bind() {
		this.runner
			.withPropertyValues("umqtt.version=5", "umqtt.session-expiry=90", "umqtt.receive-maximum=10",
					"umqtt.topic-alias-maximum=5", "umqtt.topic-aliases=false",
					"umqtt.request-response-information=true", "umqtt.user-properties.zone=eu",
					"umqtt.user-properties.app=orders", "umqtt.user-properties.[rack.id]=r7",
					"umqtt.clients.sensors.version=5", "umqtt.clients.sensors.receive-maximum=2")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				UmqttProperties properties = context.getBean(UmqttProperties.class);
				assertThat(properties.getSessionExpiry()).hasSeconds(90);
				assertThat(properties.getReceiveMaximum()).isEqualTo(10);
				assertThat(properties.getTopicAliasMaximum()).isEqualTo(5);
				assertThat(properties.isTopicAliases()).isFalse();
				assertThat(properties.isRequestResponseInformation()).isTrue();
				assertThat(properties.getUserProperties()).containsExactly(Map.entry("zone", "eu"),
						Map.entry("app", "orders"), Map.entry("rack.id", "r7"));
				MqttClientProperties sensors = properties.getClients().get("sensors");
				assertThat(sensors.getReceiveMaximum()).isEqualTo(2);
				assertThat(sensors.getSessionExpiry()).isZero();
				MqttClients clients = context.getBean(MqttClients.class);
				assertThat(clients.version(clients.primary())).isEqualTo(5);
				assertThat(clients.version(clients.get("sensors"))).isEqualTo(5);
			});
	}

	@Test
	void defaultsOnVersion5AreTheProtocolDefaults() {
		this.runner.withPropertyValues("umqtt.version=5").run((context) -> {
			assertThat(context).hasNotFailed();
			UmqttProperties properties = context.getBean(UmqttProperties.class);
			assertThat(properties.mqtt5KeysSet()).isEmpty();
			assertThat(properties.getReceiveMaximum()).isEqualTo(65_535);
			assertThat(properties.getSessionExpiry()).isZero();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "version=6", "version=2", "receive-maximum=0", "topic-alias-maximum=65536",
			"session-expiry=-1s", "session-expiry=4294967296" })
	void outOfRangeValuesFailTheBindingNamingTheKey(String setting) {
		String key = setting.substring(0, setting.indexOf('='));
		this.runner.withPropertyValues("umqtt.version=5", "umqtt." + setting).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("Failed to bind properties under 'umqtt'")
				.hasStackTraceContaining("Unable to set value for property " + key)
				.rootCause()
				.isInstanceOf(IllegalArgumentException.class);
		});
	}

	@Test
	void theIdeMetadataDescribesEachKeyWithItsDefault() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonMapper.builder().build().readTree(in);
		}
		Map<String, Object> defaults = Map.of("session-expiry", 0, "receive-maximum", 65_535, "topic-alias-maximum", 0,
				"topic-aliases", true, "request-response-information", false);
		for (String key : MQTT5_KEYS) {
			JsonNode property = property(metadata, "umqtt." + key);
			assertThat(property).as(key).isNotNull();
			assertThat(property.path("description").asString()).as(key).startsWith("MQTT 5: ");
			if (defaults.containsKey(key)) {
				assertThat(property.path("defaultValue").toString()).as(key)
					.isEqualTo(String.valueOf(defaults.get(key)));
			}
		}
		JsonNode version = property(metadata, "umqtt.version");
		assertThat(version.path("description").asString()).contains("5 for MQTT 5.0");
		assertThat(version.path("defaultValue").asInt()).isEqualTo(4);
	}

	private static JsonNode property(JsonNode metadata, String name) {
		for (JsonNode property : metadata.path("properties")) {
			if (name.equals(property.path("name").asString())) {
				return property;
			}
		}
		return null;
	}

}
