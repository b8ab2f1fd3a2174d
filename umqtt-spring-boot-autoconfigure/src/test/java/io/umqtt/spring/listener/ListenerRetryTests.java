package io.umqtt.spring.listener;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Retry waits grow from the first back-off, never beyond the maximum, for the configured
 * number of attempts; settings outside their bounds are refused with the property's name.
 */
class ListenerRetryTests {

	@Test
	void waitsDoubleUpToTheMaximumForMaxAttemptsMinusOneRetries() {
		BackOffExecution waits = new ListenerRetry(6, Duration.ofMillis(100), Duration.ofMillis(300), null).toBackOff()
			.start();
		assertThat(waits.nextBackOff()).isEqualTo(100);
		assertThat(waits.nextBackOff()).isEqualTo(200);
		assertThat(waits.nextBackOff()).isEqualTo(300);
		assertThat(waits.nextBackOff()).isEqualTo(300);
		assertThat(waits.nextBackOff()).isEqualTo(300);
		assertThat(waits.nextBackOff()).isEqualTo(BackOffExecution.STOP);
	}

	@Test
	void noRetryMeansNoWait() {
		assertThat(ListenerRetry.NONE.toBackOff().start().nextBackOff()).isEqualTo(BackOffExecution.STOP);
	}

	@Test
	void outOfBoundSettingsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ListenerRetry(0, Duration.ZERO, null))
			.withMessageContaining("umqtt.listener.max-attempts");
		assertThatIllegalArgumentException().isThrownBy(() -> new ListenerRetry(101, Duration.ZERO, null))
			.withMessageContaining("umqtt.listener.max-attempts");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ListenerRetry(3, Duration.ofMinutes(5), Duration.ofSeconds(1), null))
			.withMessageContaining("umqtt.listener.backoff");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ListenerRetry(3, Duration.ZERO, Duration.ofHours(2), null))
			.withMessageContaining("umqtt.listener.max-backoff");
		assertThatIllegalArgumentException().isThrownBy(() -> new ListenerRetry(3, Duration.ZERO, "dlt/#"))
			.withMessageContaining("not a valid topic name");
	}

}
