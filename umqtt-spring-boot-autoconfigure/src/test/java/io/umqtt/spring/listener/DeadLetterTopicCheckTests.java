package io.umqtt.spring.listener;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * A dead-letter topic a listener's own filter would receive is refused, whatever
 * wildcards the filter has; one outside it is accepted.
 */
class DeadLetterTopicCheckTests {

	private static ListenerRetry deadLetter(String topic) {
		return new ListenerRetry(1, Duration.ZERO, topic);
	}

	@Test
	void loopingDeadLetterTopicsAreRefused() {
		String[][] loops = { { "{topic}/dead", "sensors/#" }, { "sensors/dead", "sensors/+" }, { "x{topic}", "+/b" },
				{ "dead/{topic}", "#" }, { "{topic}/dlt", "a/+/c/#" }, { "a/{topic}", "a/#" },
				{ "{topic}", "$share/g/a/+" }, { "d/{topic}", "+/+/+/#" } };
		for (String[] loop : loops) {
			assertThatIllegalStateException()
				.isThrownBy(() -> DeadLetterTopicCheck.check(deadLetter(loop[0]), "l", loop[1]))
				.as(loop[0] + " under " + loop[1])
				.withMessageContaining("would be dead-lettered to itself");
		}
	}

	@Test
	void aDeadLetterTopicAnotherListenersFilterMatchesIsRefusedNamingBoth() {
		assertThatIllegalStateException()
			.isThrownBy(() -> DeadLetterTopicCheck.check(deadLetter("dlt/{topic}"), "a", "jobs/+", "b", "dlt/#"))
			.withMessageContaining("resolves to 'dlt/jobs/+' for MQTT listener 'a' (filter 'jobs/+')")
			.withMessageContaining("MQTT listener 'b' on the same client subscribes to 'dlt/#'");
		assertThatIllegalStateException()
			.isThrownBy(() -> DeadLetterTopicCheck.check(deadLetter("dlt/{topic}"), "a", "$share/g/jobs/+", "b",
					"$share/h/dlt/jobs/x"))
			.withMessageContaining("'b'");
		assertThatNoException()
			.isThrownBy(() -> DeadLetterTopicCheck.check(deadLetter("dlt/{topic}"), "a", "jobs/+", "b", "other/#"));
	}

	@Test
	void deadLetterTopicsOutsideTheFilterAreAccepted() {
		String[][] fine = { { "dlt/{topic}", "sensors/#" }, { "dlt/{topic}", "sensors/+/t" }, { "{topic}/dead", "a/+" },
				{ "$dead/{topic}", "#" }, { "dead", "sensors/+" }, { "dlt/{topic}", "$share/g/jobs/+" },
				{ "d/{topic}", "+/+/a" } };
		for (String[] ok : fine) {
			assertThatNoException().as(ok[0] + " under " + ok[1])
				.isThrownBy(() -> DeadLetterTopicCheck.check(deadLetter(ok[0]), "l", ok[1]));
		}
	}

}
