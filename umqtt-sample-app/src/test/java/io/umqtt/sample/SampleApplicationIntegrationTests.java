package io.umqtt.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.umqtt.spring.boot.autoconfigure.embedded.EmbeddedMqttBroker;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as a user runs it: embedded broker (MQTT 3.1.1), simulated devices, the API
 * and health over HTTP; and {@link OnMqtt5 on MQTT 5} against Mosquitto.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.devices.count=5", "sample.devices.interval=100ms" })
class SampleApplicationIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	EmbeddedMqttBroker broker;

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode getJson(String path) throws Exception {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return this.json.readTree(response.body());
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
	void onTheEmbeddedBrokerTheConnectionSpeaksMqtt311AndCommandsAreNoRequests() throws Exception {
		JsonNode connection = getJson("/api/connection");
		assertThat(connection.path("version").asInt()).isEqualTo(4);
		assertThat(connection.path("protocol").asString()).isEqualTo("3.1.1");
		assertThat(connection.path("embeddedBroker").asBoolean()).isTrue();
		JsonNode command = this.json.readTree(post("/api/devices/device-1/commands", "status").body());
		assertThat(command.path("requestReply").asBoolean()).isFalse();
		await().atMost(Duration.ofSeconds(15))
			.until(() -> !find(getJson("/api/commands"), command.path("id").asLong()).path("acceptedAt").isNull());
		JsonNode followed = find(getJson("/api/commands"), command.path("id").asLong());
		assertThat(followed.path("repliedAt").isNull()).isTrue();
		assertThat(followed.path("roundTripMillis").isNull()).isTrue();
		// no MQTT 5 properties on 3.1.1
		await().atMost(Duration.ofSeconds(15)).until(() -> getJson("/api/devices").size() == 5);
		for (JsonNode device : getJson("/api/devices")) {
			assertThat(device.path("contentType").isNull()).as(device.toString()).isTrue();
			assertThat(device.path("model").isNull()).as(device.toString()).isTrue();
		}
	}

	@Test
	void healthDetailsAreShownWhereTheApplicationSaysSo() throws Exception {
		// what the README suggests for a look on one's own machine
		try (var context = new org.springframework.boot.builder.SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0", "--management.endpoint.health.show-details=always", "--sample.devices.count=1")) {
			int localPort = context.getEnvironment().getProperty("local.server.port", Integer.class);
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + localPort + "/actuator/health/mqtt"))
				.build();
			await().atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> assertThat(this.http.send(request, HttpResponse.BodyHandlers.ofString()).body())
					.contains("\"mqttsta\":0"));
			assertThat(this.http.send(request, HttpResponse.BodyHandlers.ofString()).body())
				.contains("\"subscriptions\":")
				.doesNotContain("devices/+/telemetry");
		}
	}

	@Test
	void metricsAreExposed() throws Exception {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> get("/actuator/metrics/umqtt.messages.received").statusCode() == 200);
		assertThat(get("/actuator/metrics/umqtt.messages.received").body())
			.contains("\"name\":\"umqtt.messages.received\"");
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

	@Test
	void historyHasEveryDevicesTimedReadingsAndTheRateOfTheLastMinutes() throws Exception {
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			JsonNode history = getJson("/api/history");
			assertThat(history.path("readings").propertyNames()).contains("device-1", "device-2", "device-3");
			assertThat(history.path("readings").path("device-1").size()).isGreaterThan(3);
			assertThat(history.path("rate").size()).isGreaterThan(1);
		});
		JsonNode history = getJson("/api/history");
		long until = history.path("until").asLong();
		assertThat(history.path("window").asLong()).isEqualTo(Duration.ofMinutes(5).toMillis());
		assertThat(until).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
		long previous = 0;
		for (JsonNode reading : history.path("readings").path("device-2")) {
			assertThat(reading.path("device").asString()).isEqualTo("device-2");
			assertThat(reading.path("time").asLong()).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(until);
			assertThat(reading.path("temperature").asDouble()).isBetween(5.0, 40.0);
			previous = reading.path("time").asLong();
		}
		JsonNode lastRate = history.path("rate").get(history.path("rate").size() - 1);
		assertThat(lastRate.path("time").asLong()).isEqualTo(until);
		// 5 devices (some may have been killed by now), a reading every 100 ms
		assertThat(lastRate.path("perSecond").asDouble()).isBetween(20.0, 75.0);
	}

	@Test
	void streamStartsWithTheHistoryAndContinuesWithEveryReadingOnce() throws Exception {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> getJson("/api/history").path("readings").path("device-1").size() > 3);
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/stream"))
			.header("Accept", "text/event-stream")
			.build();
		HttpResponse<Stream<String>> response = this.http.send(request, HttpResponse.BodyHandlers.ofLines());
		List<String[]> events;
		try (Stream<String> lines = response.body()) {
			events = CompletableFuture.supplyAsync(() -> firstEvents(lines.iterator(), 3)).get(15, TimeUnit.SECONDS);
		}
		assertThat(events).extracting((event) -> event[0]).containsExactly("history", "update", "update");
		JsonNode history = this.json.readTree(events.get(0)[1]).path("history");
		JsonNode state = this.json.readTree(events.get(0)[1]).path("state");
		assertThat(state.path("connection").path("health").asString()).isEqualTo("UP");
		assertThat(state.path("devices").size()).isEqualTo(5);
		List<Long> sequences = new ArrayList<>();
		history.path("readings")
			.path("device-1")
			.forEach((reading) -> sequences.add(reading.path("sequence").asLong()));
		long until = history.path("until").asLong();
		for (String[] update : events.subList(1, 3)) {
			JsonNode tick = this.json.readTree(update[1]).path("tick");
			assertThat(tick.path("time").asLong()).isGreaterThan(until);
			until = tick.path("time").asLong();
			assertThat(tick.path("readings").size()).isPositive();
			for (JsonNode reading : tick.path("readings")) {
				assertThat(reading.path("time").asLong()).isLessThanOrEqualTo(until);
				if (reading.path("device").asString().equals("device-1")) {
					sequences.add(reading.path("sequence").asLong());
				}
			}
		}
		// device-1's messages from the history on through the updates: none missing, none
		// twice
		long first = sequences.get(0);
		assertThat(sequences).hasSizeGreaterThan(5);
		for (int i = 0; i < sequences.size(); i++) {
			assertThat(sequences.get(i)).as("reading %d of device-1", i).isEqualTo(first + i);
		}
	}

	/** Reads server-sent events: {name, data} pairs. */
	private static List<String[]> firstEvents(Iterator<String> lines, int count) {
		List<String[]> events = new ArrayList<>();
		String name = null;
		StringBuilder data = new StringBuilder();
		while (events.size() < count && lines.hasNext()) {
			String line = lines.next();
			if (line.startsWith("event:")) {
				name = line.substring("event:".length()).trim();
			}
			else if (line.startsWith("data:")) {
				data.append(line.substring("data:".length()));
			}
			else if (line.isEmpty() && name != null) {
				events.add(new String[] { name, data.toString() });
				name = null;
				data.setLength(0);
			}
		}
		return events;
	}

	@Test
	void aCommandIsFollowedFromSentToAcceptedByTheBrokerToSeenByTheDevice() throws Exception {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> get("/api/devices").body().contains("{\"id\":\"device-2\",\"status\":\"online\""));
		HttpResponse<String> sent = post("/api/devices/device-2/commands", "reboot");
		assertThat(sent.statusCode()).isEqualTo(202);
		JsonNode command = this.json.readTree(sent.body());
		assertThat(command.path("topic").asString()).isEqualTo("devices/device-2/commands");
		assertThat(command.path("command").asString()).isEqualTo("reboot");
		long id = command.path("id").asLong();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			JsonNode followed = find(getJson("/api/commands"), id);
			assertThat(followed.path("acceptedAt").isNull()).as("accepted by the broker").isFalse();
			assertThat(followed.path("seenAt").isNull()).as("seen by the device").isFalse();
		});
		JsonNode followed = find(getJson("/api/commands"), id);
		assertThat(followed.path("acceptedAt").asLong()).isGreaterThanOrEqualTo(followed.path("sentAt").asLong());
		assertThat(followed.path("seenAt").asLong()).isGreaterThanOrEqualTo(followed.path("sentAt").asLong());
		for (JsonNode device : getJson("/api/devices")) {
			if (device.path("id").asString().equals("device-2")) {
				assertThat(device.path("latest").path("commands").asInt()).isEqualTo(1);
			}
		}
	}

	@Test
	void aCommandToAKilledDeviceIsAcceptedByTheBrokerButNeverSeen() throws Exception {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> get("/api/devices").body().contains("{\"id\":\"device-5\",\"status\":\"online\""));
		assertThat(post("/api/devices/device-5/kill", "").statusCode()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> get("/api/devices").body().contains("{\"id\":\"device-5\",\"status\":\"offline\""));
		long lost = this.json.readTree(post("/api/devices/device-5/commands", "lost").body()).path("id").asLong();
		long seen = this.json.readTree(post("/api/devices/device-4/commands", "seen").body()).path("id").asLong();
		await().atMost(Duration.ofSeconds(15))
			.until(() -> !find(getJson("/api/commands"), seen).path("seenAt").isNull());
		JsonNode lostCommand = find(getJson("/api/commands"), lost);
		assertThat(lostCommand.path("acceptedAt").isNull()).isFalse();
		assertThat(lostCommand.path("seenAt").isNull()).isTrue();
	}

	private static JsonNode find(JsonNode commands, long id) {
		for (JsonNode command : commands) {
			if (command.path("id").asLong() == id) {
				return command;
			}
		}
		throw new AssertionError("no command " + id + " in " + commands);
	}

	@Test
	void connectionStateFollowsTheBrokerGoingAwayAndComingBack() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0", "--sample.devices.count=1")) {
			int localPort = context.getEnvironment().getProperty("local.server.port", Integer.class);
			EmbeddedMqttBroker embedded = context.getBean(EmbeddedMqttBroker.class);
			URI connection = URI.create("http://127.0.0.1:" + localPort + "/api/connection");
			URI health = URI.create("http://127.0.0.1:" + localPort + "/actuator/health/mqtt");
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				JsonNode now = this.json.readTree(body(connection));
				assertThat(now.path("state").asString()).isEqualTo("connected");
				assertThat(now.path("health").asString()).isEqualTo("UP");
				assertThat(now.path("mqttsta").asInt()).isZero();
			});
			assertThat(this.json.readTree(body(connection)).path("clientId").asString()).isEqualTo("umqtt-sample-app");
			embedded.stop();
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				JsonNode now = this.json.readTree(body(connection));
				assertThat(now.path("state").asString()).isEqualTo("reconnecting");
				assertThat(now.path("mqttsta").asInt()).isEqualTo(1);
				assertThat(now.path("health").asString()).isEqualTo("DOWN");
			});
			// the page says what the health endpoint says
			assertThat(body(health)).contains("\"DOWN\"");
			embedded.start();
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				JsonNode now = this.json.readTree(body(connection));
				assertThat(now.path("state").asString()).isEqualTo("connected");
				assertThat(now.path("health").asString()).isEqualTo("UP");
				assertThat(now.path("reconnects").asLong()).isPositive();
			});
		}
	}

	@Test
	void closingTheApplicationEndsTheStreamsOfOpenPagesInsteadOfWaitingForThem() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0", "--sample.devices.count=1");
		int localPort = context.getEnvironment().getProperty("local.server.port", Integer.class);
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + localPort + "/api/stream"))
			.build();
		HttpResponse<Stream<String>> response = this.http.send(request, HttpResponse.BodyHandlers.ofLines());
		try (Stream<String> lines = response.body()) {
			Iterator<String> events = lines.iterator();
			assertThat(CompletableFuture.supplyAsync(() -> firstEvents(events, 1)).get(15, TimeUnit.SECONDS))
				.extracting((event) -> event[0])
				.containsExactly("history");
			long start = System.nanoTime();
			context.close();
			// a graceful shutdown waits for open requests, up to 30 s
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
			assertThat(CompletableFuture.supplyAsync(() -> {
				while (events.hasNext()) {
					events.next();
				}
				return true;
			}).get(5, TimeUnit.SECONDS)).as("the stream ended").isTrue();
		}
		finally {
			context.close();
		}
	}

	private String body(URI uri) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	/**
	 * The sample on MQTT 5 against Mosquitto (the embedded broker speaks 3.1.1 only): a
	 * command is a request the device replies to, and its round-trip time is in the API;
	 * telemetry carries its content type and the device's user properties to the API.
	 */
	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class OnMqtt5 {

		private ConfigurableApplicationContext context;

		private int port5;

		@BeforeAll
		void start(MqttBroker broker) {
			this.context = new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
					"--umqtt.version=5", "--umqtt.server=" + broker.host(), "--umqtt.port=" + broker.port(),
					"--umqtt.template.reply-timeout=3s", "--sample.devices.count=2", "--sample.devices.interval=100ms");
			this.port5 = this.context.getEnvironment().getProperty("local.server.port", Integer.class);
		}

		@AfterAll
		void stop() {
			if (this.context != null) {
				this.context.close();
			}
		}

		private JsonNode get5(String path) throws Exception {
			return SampleApplicationIntegrationTests.this.json
				.readTree(body(URI.create("http://127.0.0.1:" + this.port5 + path)));
		}

		private JsonNode post5(String path, String body) throws Exception {
			HttpResponse<String> response = SampleApplicationIntegrationTests.this.http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port5 + path))
					.header("Content-Type", "text/plain")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(202);
			return SampleApplicationIntegrationTests.this.json.readTree(response.body());
		}

		private void awaitOnline(String device) {
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				assertThat(get5("/api/connection").path("state").asString()).isEqualTo("connected");
				assertThat(get5("/api/devices").toString())
					.contains("{\"id\":\"" + device + "\",\"status\":\"online\"");
			});
		}

		@Test
		void theConnectionSpeaksMqtt5() throws Exception {
			awaitOnline("device-1");
			JsonNode connection = get5("/api/connection");
			assertThat(connection.path("version").asInt()).isEqualTo(5);
			assertThat(connection.path("protocol").asString()).isEqualTo("5.0");
			assertThat(connection.path("embeddedBroker").asBoolean()).isFalse();
		}

		@Test
		void aCommandIsARequestTheDeviceRepliesToAndItsRoundTripTimeIsShown() throws Exception {
			awaitOnline("device-1");
			long start = System.currentTimeMillis();
			JsonNode sent = post5("/api/devices/device-1/commands", "blink");
			// the HTTP call does not wait for the reply
			assertThat(sent.path("requestReply").asBoolean()).isTrue();
			assertThat(sent.path("topic").asString()).isEqualTo("devices/device-1/commands");
			long id = sent.path("id").asLong();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(find(get5("/api/commands"), id).path("repliedAt").isNull())
					.as("replied: %s", find(get5("/api/commands"), id))
					.isFalse());
			JsonNode command = find(get5("/api/commands"), id);
			assertThat(command.path("failure").isNull()).as(command.toString()).isTrue();
			assertThat(command.path("reply").asString()).isEqualTo("done");
			double roundTrip = command.path("roundTripMillis").asDouble();
			long elapsed = System.currentTimeMillis() - start;
			assertThat(roundTrip).isPositive().isLessThanOrEqualTo(elapsed);
			assertThat(command.path("repliedAt").asLong()).isGreaterThanOrEqualTo(command.path("sentAt").asLong());
			// the device counted it in its telemetry as well
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !find(get5("/api/commands"), id).path("seenAt").isNull());
		}

		@Test
		void telemetryCarriesItsContentTypeAndTheDevicesUserPropertiesToTheApi() throws Exception {
			awaitOnline("device-2");
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				JsonNode devices = get5("/api/devices");
				assertThat(devices.size()).isEqualTo(2);
				assertThat(devices.get(0).path("id").asString()).isEqualTo("device-1");
				assertThat(devices.get(0).path("contentType").asString()).isEqualTo("application/json");
				assertThat(devices.get(0).path("model").asString()).isEqualTo("TH-20");
				assertThat(devices.get(0).path("firmware").asString()).isEqualTo("1.4.1");
				assertThat(devices.get(1).path("contentType").asString()).isEqualTo("application/json");
				assertThat(devices.get(1).path("model").asString()).isEqualTo("TH-21 Pro");
				assertThat(devices.get(1).path("firmware").asString()).isEqualTo("1.4.2");
			});
		}

	}

}
