package io.umqtt.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.umqtt.spring.boot.autoconfigure.embedded.EmbeddedMqttBroker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as a user runs it: embedded broker, simulated devices, the API and health over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.devices.count=3", "sample.devices.interval=100ms" })
class SampleApplicationIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	EmbeddedMqttBroker broker;

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void startsOnTheEmbeddedBrokerAndReportsMqttHealthUp() throws Exception {
		assertThat(this.broker.isRunning()).isTrue();
		await().atMost(Duration.ofSeconds(15)).until(() -> get("/actuator/health/mqtt").body().contains("\"UP\""));
		String health = get("/actuator/health").body();
		// show-details: when-authorized, and an anonymous request is not authorized
		assertThat(health).contains("\"status\":\"UP\"").doesNotContain("mqttsta").doesNotContain("clientId");
		assertThat(get("/actuator/health/mqtt").body()).isEqualTo("{\"status\":\"UP\"}");
		assertThat(get("/actuator/health/readiness").body()).contains("\"mqtt\"").contains("\"status\":\"UP\"");
	}

	@Test
	void healthDetailsAreShownWhereTheApplicationSaysSo() throws Exception {
		// what the README suggests for a look on one's own machine
		try (var context = new org.springframework.boot.builder.SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0", "--management.endpoint.health.show-details=always", "--sample.devices.count=1")) {
			int localPort = context.getEnvironment().getProperty("local.server.port", Integer.class);
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + localPort + "/actuator/health/mqtt"))
				.build();
			await().atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> assertThat(this.http.send(request, HttpResponse.BodyHandlers.ofString()).body())
					.contains("\"mqttsta\":0"));
			assertThat(this.http.send(request, HttpResponse.BodyHandlers.ofString()).body()).contains("\"subscriptions\":")
				.doesNotContain("devices/+/telemetry");
		}
	}

	@Test
	void metricsAreExposed() throws Exception {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> get("/actuator/metrics/umqtt.messages.received").statusCode() == 200);
		assertThat(get("/actuator/metrics/umqtt.messages.received").body()).contains("\"name\":\"umqtt.messages.received\"");
		assertThat(get("/actuator/metrics/umqtt.connection.state").body()).contains("\"value\":0.0");
		await().atMost(Duration.ofSeconds(15))
			.until(() -> get("/actuator/metrics/umqtt.listener").body().contains("\"COUNT\""));
	}

	@Test
	void devicesTelemetryIsAggregatedAndCommandsArrive() throws Exception {
		await().atMost(Duration.ofSeconds(15)).until(() -> {
			String devices = get("/api/devices").body();
			return devices.contains("device-1") && devices.contains("device-2") && devices.contains("device-3")
					&& !devices.contains("\"messages\":0");
		});
		assertThat(post("/api/devices/device-1/commands", "blink").statusCode()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> get("/api/devices").body().matches("(?s).*\"id\":\"device-1\".*?\"commands\":1.*"));
	}

	@Test
	void aKilledDeviceShowsOfflineThroughItsLastWill() throws Exception {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> get("/api/devices").body().contains("{\"id\":\"device-3\",\"status\":\"online\""));
		assertThat(post("/api/devices/device-3/kill", "").statusCode()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> get("/api/devices").body().contains("{\"id\":\"device-3\",\"status\":\"offline\""));
	}

}
