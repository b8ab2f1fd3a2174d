package io.umqtt.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the live page.
 */
@ConfigurationProperties("sample.page")
public class LivePageProperties {

	/** How far back the charts (and {@code /api/history}) reach. */
	private Duration history = Duration.ofMinutes(5);

	public Duration getHistory() {
		return this.history;
	}

	public void setHistory(Duration history) {
		this.history = history;
	}

}
