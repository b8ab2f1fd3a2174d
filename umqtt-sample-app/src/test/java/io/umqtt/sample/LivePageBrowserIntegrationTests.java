package io.umqtt.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live page in headless Chromium: it shows the connection and every device updating. Skipped
 * where Debian's chromium and chromium-driver are not installed. Writes the screenshot the docs
 * show to {@code target/live-page.png}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.devices.count=3", "sample.devices.interval=200ms" })
class LivePageBrowserIntegrationTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	@LocalServerPort
	int port;

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

	@Test
	void livePageShowsTheConnectionAndLiveDevices() throws Exception {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toString());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1100,500",
				"--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.build();
		this.driver = new ChromeDriver(service, options);
		this.driver.get("http://127.0.0.1:" + this.port + "/");
		// the page re-renders its rows every second: read text in one script call, never hold elements
		await().atMost(Duration.ofSeconds(20))
			.until(() -> "3".equals(text("String(document.querySelectorAll('tr[data-device]').length)")));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "connected (0)".equals(text("document.getElementById('connection').textContent")));
		String count = "document.querySelector(\"tr[data-device='device-1'] td:nth-child(5)\").textContent";
		String firstCount = text(count);
		await().atMost(Duration.ofSeconds(10)).until(() -> !firstCount.equals(text(count)));
		assertThat(text("document.getElementById('devices').textContent")).contains("device-1", "device-2",
				"device-3", "online");
		byte[] png = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.BYTES);
		Files.createDirectories(Path.of("target"));
		Files.write(Path.of("target", "live-page.png"), png);
	}

}
