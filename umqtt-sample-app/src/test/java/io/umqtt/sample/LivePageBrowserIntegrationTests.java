package io.umqtt.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live page in headless Chromium at 1280x800: the connection state, charts that grow
 * as telemetry arrives, and the buttons that send a command and kill a device, on the
 * embedded broker (MQTT 3.1.1) and {@link OnMqtt5 on MQTT 5} against Mosquitto. Skipped
 * where Debian's chromium and chromium-driver are not installed. Writes the screenshot
 * the docs show, of the page on MQTT 5, to {@code target/live-page.png}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.devices.count=3", "sample.devices.interval=200ms" })
class LivePageBrowserIntegrationTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	private WebDriver driver;

	@BeforeAll
	static void needsChromium() {
		org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"needs Debian's chromium and chromium-driver");
	}

	@AfterEach
	void quit() {
		if (this.driver != null) {
			this.driver.quit();
		}
	}

	private String text(String expression) {
		Object value = ((org.openqa.selenium.JavascriptExecutor) this.driver).executeScript("return " + expression);
		return (value != null) ? value.toString() : null;
	}

	private long number(String expression) {
		String value = text(expression);
		return (value != null && !value.isEmpty()) ? Long.parseLong(value) : -1;
	}

	/**
	 * Points really drawn in a chart: the vertices of its lines, not what the page
	 * claims.
	 */
	private static String plotted(String chart) {
		return "Array.from(document.querySelectorAll('#" + chart + " polyline'))"
				+ ".reduce((n, line) => n + line.points.numberOfItems, 0)";
	}

	/** Opens the page of the application on {@code port} in a 1280x800 page. */
	private void open(int port) throws Exception {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toString());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1280,800", "--hide-scrollbars",
				"--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.build();
		this.driver = new ChromeDriver(service, options);
		this.driver.get("http://127.0.0.1:" + port + "/");
		// the window's size includes the browser's own frame: make the page itself
		// 1280x800
		long width = number("window.innerWidth");
		long height = number("window.innerHeight");
		this.driver.manage().window().setSize(new Dimension((int) (2 * 1280 - width), (int) (2 * 800 - height)));
	}

	@Test
	void livePageChartsUpdateAndItsButtonsCommandAndKillDevices() throws Exception {
		open(this.port);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> number("document.querySelectorAll('tr[data-device]').length") == 3);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(text("document.getElementById('health').textContent")).isEqualTo("UP");
			assertThat(text("document.getElementById('state').textContent")).isEqualTo("connected");
			assertThat(text("document.getElementById('mqttsta').textContent")).isEqualTo("0");
		});
		// the embedded broker speaks 3.1.1 only, and the page says what that costs
		assertThat(text("document.getElementById('protocol').textContent")).isEqualTo("3.1.1");
		assertThat(text("document.getElementById('version-note').textContent")).contains("Round-trip times need MQTT 5",
				"speaks 3.1.1", "embedded broker (Moquette 0.17)", "--spring.profiles.active=mqtt5");
		assertThat(text("document.getElementById('commands-columns').textContent"))
			.isEqualTo("sentdevicecommandbrokerdevice");

		// the charts grow as readings arrive: one line per device, and the rate once a
		// second
		await().atMost(Duration.ofSeconds(10))
			.until(() -> number("document.querySelectorAll('#temperature-chart polyline').length") == 3
					&& number(plotted("rate-chart")) >= 2);
		long rateBefore = number(plotted("rate-chart"));
		long temperatureBefore = number(plotted("temperature-chart"));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(number(plotted("rate-chart"))).isGreaterThan(rateBefore + 1));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(number(plotted("temperature-chart"))).isGreaterThan(temperatureBefore + 5));
		assertThat(number("document.getElementById('rate-chart').dataset.points")).isPositive();
		assertThat(text("document.getElementById('temperature-legend').textContent")).contains("device-1: ",
				"device-2: ", "device-3: ", " °C");
		assertThat(text("document.getElementById('temperature-desc').textContent")).contains("device-2: now ");

		// a command typed and sent: the device receives it, the page shows the broker's
		// and the device's answer
		WebElement field = this.driver.findElement(By.id("command-device-1"));
		field.clear();
		field.sendKeys("blink twice");
		this.driver.findElement(By.cssSelector("button[aria-label='Send command to device-1']")).click();
		String sentRow = "document.querySelector(\"#commands tr[data-device='device-1']\")";
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(text(sentRow + "?.textContent")).contains("device-1", "blink twice");
			assertThat(text(sentRow + "?.querySelector(\"[data-field='broker']\").textContent")).startsWith("✓");
			assertThat(text(sentRow + "?.dataset.seen")).isEqualTo("true");
		});
		assertThat(this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/devices")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body()).containsPattern("\"id\":\"device-1\".*?\"commands\":1");

		// the kill button: the device's will turns it offline on the page
		assertThat(text("document.querySelector(\"tr[data-device='device-3']\").dataset.status")).isEqualTo("online");
		this.driver.findElement(By.cssSelector("button[aria-label^='Kill device-3']")).click();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(text("document.querySelector(\"tr[data-device='device-3'] [data-field='status']\").textContent"))
				.isEqualTo("offline");
			assertThat(text("document.querySelector(\"#temperature-legend li[data-device='device-3']\").textContent"))
				.contains("offline");
		});
		assertThat(text("document.querySelector(\"tr[data-device='device-2']\").dataset.status")).isEqualTo("online");
		screenshot("live-page-mqtt311.png");
	}

	private void screenshot(String name) throws Exception {
		byte[] png = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.BYTES);
		Files.createDirectories(Path.of("target"));
		Files.write(Path.of("target", name), png);
	}

	/**
	 * The page of the application on MQTT 5 against Mosquitto: the protocol, each
	 * device's user properties and content type, and a command sent with the button
	 * answered by its device with the round-trip time shown.
	 */
	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
	class OnMqtt5 {

		@Test
		void commandsShowTheirReplyAndRoundTripTimeAndDevicesTheirUserProperties(MqttBroker broker) throws Exception {
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class).run(
					"--server.port=0", "--umqtt.version=5", "--umqtt.server=" + broker.host(),
					"--umqtt.port=" + broker.port(), "--sample.devices.count=3", "--sample.devices.interval=200ms")) {
				open(context.getEnvironment().getProperty("local.server.port", Integer.class));
				await().atMost(Duration.ofSeconds(20))
					.until(() -> number("document.querySelectorAll('tr[data-device]').length") == 3);
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					assertThat(text("document.getElementById('health').textContent")).isEqualTo("UP");
					assertThat(text("document.getElementById('protocol').textContent")).isEqualTo("5.0");
					assertThat(text(
							"document.querySelector(\"tr[data-device='device-2'] [data-field='user-properties']\")?.textContent"))
						.isEqualTo("TH-21 Pro · fw 1.4.2");
					assertThat(text(
							"document.querySelector(\"tr[data-device='device-2'] [data-field='content-type']\")?.textContent"))
						.isEqualTo("application/json");
				});
				assertThat(text("document.getElementById('version-note').textContent")).isEmpty();
				assertThat(text("document.getElementById('commands-columns').textContent"))
					.isEqualTo("sentdevicecommandreplyround trip");

				WebElement field = LivePageBrowserIntegrationTests.this.driver.findElement(By.id("command-device-1"));
				field.clear();
				field.sendKeys("blink");
				LivePageBrowserIntegrationTests.this.driver
					.findElement(By.cssSelector("button[aria-label='Send command to device-1']"))
					.click();
				String sentRow = "document.querySelector(\"#commands tr[data-device='device-1']\")";
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					assertThat(text(sentRow + "?.querySelector(\"[data-field='reply']\").textContent"))
						.isEqualTo("✓ done");
					assertThat(text(sentRow + "?.querySelector(\"[data-field='rtt']\").textContent"))
						.matches("\\d+\\.\\d ms");
				});
				LivePageBrowserIntegrationTests.this.driver
					.findElement(By.cssSelector("button[aria-label='Send command to device-3']"))
					.click();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> "true".equals(
							text("document.querySelector(\"#commands tr[data-device='device-3']\")?.dataset.replied")));

				// for the README's screenshot: half a minute of history in the charts
				await().atMost(Duration.ofSeconds(40)).until(() -> number(plotted("rate-chart")) >= 30);
				assertThat(number("document.querySelectorAll('#temperature-chart polyline').length")).isEqualTo(3);
				screenshot("live-page.png");
			}
		}

	}

}
