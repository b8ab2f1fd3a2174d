package io.umqtt.core.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.umqtt.core.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed publishes in bulk: one WARN with a stack trace, then summaries; topics escaped
 * in the line; the error callback's queue bounded, dropping (and counting) rather than
 * growing or blocking.
 */
class PublishFailureLogIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Logger logger = (Logger) LoggerFactory.getLogger(MqttClient.class);

	@BeforeEach
	void capture() {
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	@AfterEach
	void release() {
		this.logger.detachAppender(this.appender);
	}

	private MqttClient offline(String prefix) {
		// nothing listens on port 1 and nothing connects: every publish fails at once
		return this.clients.track(MqttClient.builder(Clients.id(prefix), "127.0.0.1").port(1).reconn(false).build());
	}

	private List<ILoggingEvent> publishWarnings() {
		return this.appender.list.stream()
			.filter((e) -> e.getLevel() == Level.WARN && e.getFormattedMessage().startsWith("Publish to"))
			.toList();
	}

	@Test
	void manyFailedPublishesLogOneStackTraceNotOneEach() {
		MqttClient client = offline("log-burst");
		for (int i = 0; i < 200; i++) {
			assertThat(client.publish("log/burst", "x".getBytes(), false, 1)).isFalse();
		}
		List<ILoggingEvent> warnings = publishWarnings();
		assertThat(warnings).hasSizeLessThanOrEqualTo(2);
		assertThat(warnings.get(0).getThrowableProxy()).isNotNull();
	}

	@Test
	void aTopicWithLineBreaksIsEscapedInTheLogLine() {
		MqttClient client = offline("log-crlf");
		assertThat(client.publish("log/a\r\nWARN forged", "x".getBytes(), false, 1)).isFalse();
		assertThat(publishWarnings()).singleElement()
			.extracting(ILoggingEvent::getFormattedMessage)
			.asString()
			.contains("log/a\\r\\nWARN forged")
			.doesNotContain("\n");
	}

	@Test
	void aSlowErrorCallbackDropsEventsOverItsQueueInsteadOfHoldingThemAll() throws Exception {
		MqttClient client = offline("log-slow-callback");
		CountDownLatch stuck = new CountDownLatch(1);
		client.errorRegisterCb((text) -> {
			try {
				stuck.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		long start = System.nanoTime();
		for (int i = 0; i < 1_500; i++) {
			client.publish("log/slow", "x".getBytes(), false, 0);
		}
		stuck.countDown();
		// never blocked on the callback
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
		// 1,500 failures, one event running, 1,000 queued: the rest dropped and counted
		assertThat(client.droppedEvents()).isGreaterThanOrEqualTo(499);
	}

}
