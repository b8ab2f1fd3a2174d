package io.umqtt.sample;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryHistoryTests {

	private final MutableClock clock = new MutableClock();

	private final TelemetryHistory history = new TelemetryHistory(Duration.ofMinutes(5), this.clock);

	@Test
	void aReadingJoinsTheHistoryAtTheNextTickAndIsInThatTickOnly() {
		this.history.add("device-1", new Reading(21.5, 40, 1, 0));
		assertThat(this.history.snapshot().readings()).isEmpty();
		this.clock.advance(Duration.ofSeconds(1));
		TelemetryHistory.Tick first = this.history.advance();
		assertThat(first.readings()).extracting(TimedReading::device, TimedReading::temperature, TimedReading::sequence)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("device-1", 21.5, 1L));
		assertThat(this.history.snapshot().readings().get("device-1")).containsExactlyElementsOf(first.readings());
		assertThat(this.history.snapshot().until()).isEqualTo(first.time());
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.history.advance().readings()).isEmpty();
	}

	@Test
	void theRateIsMessagesPerSecondSinceTheTickBefore() {
		for (int i = 1; i <= 6; i++) {
			this.history.add("device-" + (i % 2), new Reading(20, 40, i, 0));
		}
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(this.history.advance().perSecond()).isEqualTo(3.0);
		this.history.add("device-1", new Reading(20, 40, 7, 0));
		this.clock.advance(Duration.ofMillis(500));
		assertThat(this.history.advance().perSecond()).isEqualTo(2.0);
		assertThat(this.history.snapshot().rate()).extracting(TelemetryHistory.RatePoint::perSecond)
			.containsExactly(3.0, 2.0);
	}

	@Test
	void whatIsOlderThanTheWindowIsForgotten() {
		this.history.add("device-1", new Reading(20, 40, 1, 0));
		this.clock.advance(Duration.ofSeconds(1));
		this.history.advance();
		this.clock.advance(Duration.ofMinutes(4));
		this.history.add("device-1", new Reading(21, 40, 2, 0));
		this.history.advance();
		assertThat(this.history.snapshot().readings().get("device-1")).hasSize(2);
		this.clock.advance(Duration.ofSeconds(61));
		this.history.advance();
		TelemetryHistory.History snapshot = this.history.snapshot();
		assertThat(snapshot.readings().get("device-1")).extracting(TimedReading::sequence).containsExactly(2L);
		assertThat(snapshot.rate()).hasSize(2);
		assertThat(snapshot.window()).isEqualTo(Duration.ofMinutes(5).toMillis());
	}

	private static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
