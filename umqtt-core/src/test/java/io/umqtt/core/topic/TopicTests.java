package io.umqtt.core.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TopicTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "sport/tennis/player1/#|sport/tennis/player1|true",
			"sport/tennis/player1/#|sport/tennis/player1/ranking|true",
			"sport/tennis/player1/#|sport/tennis/player1/score/wimbledon|true", "sport/#|sport|true",
			"#|sport/tennis|true", "#|/|true", "sport/tennis/+|sport/tennis/player1|true",
			"sport/tennis/+|sport/tennis/player1/ranking|false", "sport/+|sport|false", "sport/+|sport/|true",
			"+/+|/finance|true", "/+|/finance|true", "+|/finance|false", "+|a|true", "a/b|a/b|true", "a/b|a/c|false",
			"a/b|a/bc|false", "a/+/c|a/x/c|true", "a/+/c|a//c|true", "a/+/#|a/b|true", "#|$SYS/broker|false",
			"+/monitor/Clients|$SYS/monitor/Clients|false", "$SYS/#|$SYS/monitor/Clients|true",
			"$SYS/monitor/+|$SYS/monitor/Clients|true", "$share/g/a/+|a/b|true", "$share/g/#|a/b|true" })
	void matchesAsTheSpecExamplesSay(String filter, String topic, boolean expected) {
		assertThat(TopicFilter.matches(filter, topic)).isEqualTo(expected);
		SubscriptionTree<String> tree = new SubscriptionTree<>();
		tree.add(filter, "x");
		assertThat(tree.match(topic)).hasSize(expected ? 1 : 0);
	}

	@ParameterizedTest
	@ValueSource(strings = { "a/#/b", "a#", "a/b#", "a+", "a/+b", "+a", "", "$share//a", "$share/g/" })
	void invalidFiltersAreRefusedNamingTheRule(String filter) {
		assertThat(TopicFilter.problem(filter)).isNotNull();
		assertThatIllegalArgumentException().isThrownBy(() -> TopicFilter.check(filter));
	}

	@ParameterizedTest
	@ValueSource(strings = { "a/b", "#", "+", "+/+", "a/+/#", "/", "$share/g/a/#", "温度/+" })
	void validFiltersAreAccepted(String filter) {
		assertThat(TopicFilter.problem(filter)).isNull();
	}

	@Test
	void wildcardsAndSharedSubscriptionsFollowTheirMqtt5Rules() {
		// [MQTT-4.7.0-1]: wildcards are for topic filters, never in a topic name
		assertThat(TopicFilter.problem("a/+")).isNull();
		assertThat(TopicFilter.problem("a/#")).isNull();
		assertThat(TopicName.problem("a/+")).contains("wildcard '+'");
		assertThat(TopicName.problem("a/#")).contains("wildcard '#'");
		assertThat(TopicName.problem("+")).contains("wildcard '+'");
		// [MQTT-4.7.1-1]: '#' stands alone or after '/', and is the last character
		assertThat(TopicFilter.problem("#")).isNull();
		assertThat(TopicFilter.problem("a/#")).isNull();
		assertThat(TopicFilter.problem("/#")).isNull();
		for (String filter : List.of("a#", "a/b#", "a/#/b", "#/", "##")) {
			assertThat(TopicFilter.problem(filter)).as(filter).contains("'#'");
		}
		// [MQTT-4.7.1-2]: '+' occupies a whole level, any level
		for (String filter : List.of("+", "+/a", "a/+", "a/+/b", "+/+", "/+/")) {
			assertThat(TopicFilter.problem(filter)).as(filter).isNull();
		}
		for (String filter : List.of("a+", "+a", "a/+b", "a/b+/c", "++")) {
			assertThat(TopicFilter.problem(filter)).as(filter).contains("'+'");
		}
		// [MQTT-4.8.2-1]: a shared subscription is $share/ and a ShareName of at least
		// one character
		assertThat(TopicFilter.problem("$share/g/a")).isNull();
		for (String filter : List.of("$share//a", "$share/", "$share/g")) {
			assertThat(TopicFilter.problem(filter)).as(filter).contains("non-empty group");
		}
	}

	@Test
	void topicNamesFollowTheirRules() {
		assertThat(TopicName.problem("a/b")).isNull();
		assertThat(TopicName.problem("a/+")).contains("[MQTT-3.3.2-2]");
		assertThat(TopicName.problem("")).contains("[MQTT-4.7.3-1]");
		assertThat(TopicName.problem("a\u0000")).contains("[MQTT-4.7.3-2]");
		assertThat(TopicName.problem("a\uD800")).contains("[MQTT-1.5.3-1]");
		assertThat(TopicName.problem("x".repeat(65_535))).isNull();
		assertThat(TopicName.problem("x".repeat(65_536))).contains("[MQTT-4.7.3-3]");
		// length counts UTF-8 bytes: 21,846 three-byte characters are 65,538 bytes
		assertThat(TopicName.problem("温".repeat(21_846))).contains("65538");
	}

	@Test
	void theTreeAgreesWithTheMatcherOnRandomFiltersAndTopics() {
		Random random = new Random(42);
		String[] levels = { "a", "b", "c", "", "$SYS" };
		List<String> filters = new ArrayList<>();
		SubscriptionTree<String> tree = new SubscriptionTree<>();
		for (int i = 0; i < 300; i++) {
			StringBuilder filter = new StringBuilder();
			int depth = 1 + random.nextInt(4);
			for (int d = 0; d < depth; d++) {
				if (d > 0) {
					filter.append('/');
				}
				int pick = random.nextInt(7);
				if (pick == 5) {
					filter.append('+');
				}
				else if (pick == 6 && d == depth - 1) {
					filter.append('#');
				}
				else {
					filter.append(levels[random.nextInt(levels.length)]);
				}
			}
			if (TopicFilter.problem(filter.toString()) == null) {
				filters.add(filter.toString());
				tree.add(filter.toString(), filter.toString());
			}
		}
		for (int i = 0; i < 2_000; i++) {
			StringBuilder topic = new StringBuilder();
			int depth = 1 + random.nextInt(4);
			for (int d = 0; d < depth; d++) {
				if (d > 0) {
					topic.append('/');
				}
				topic.append(levels[random.nextInt(levels.length)]);
			}
			String name = topic.toString();
			if (name.isEmpty()) {
				continue;
			}
			List<String> expected = filters.stream().filter((f) -> TopicFilter.matches(f, name)).toList();
			assertThat(tree.match(name)).as(name).containsExactlyInAnyOrderElementsOf(expected);
		}
	}

	@Test
	void removingARegistrationStopsItMatching() {
		SubscriptionTree<String> tree = new SubscriptionTree<>();
		tree.add("a/+", "one");
		tree.add("a/+", "two");
		tree.add("a/#", "three");
		assertThat(tree.match("a/b")).containsExactlyInAnyOrder("one", "two", "three");
		assertThat(tree.remove("a/+", "one")).isTrue();
		assertThat(tree.match("a/b")).containsExactlyInAnyOrder("two", "three");
		assertThat(tree.removeAll("a/#")).isEqualTo(1);
		assertThat(tree.match("a/b")).containsExactly("two");
		assertThat(tree.size()).isEqualTo(1);
	}

	@Test
	void aRepeatedTopicSeesRegistrationsAddedSinceItsLastMatch() {
		SubscriptionTree<String> tree = new SubscriptionTree<>();
		tree.add("a/b", "one");
		assertThat(tree.match("a/b")).containsExactly("one");
		assertThat(tree.match(new String("a/b"))).containsExactly("one");
		tree.add("a/+", "two");
		assertThat(tree.match("a/b")).containsExactlyInAnyOrder("one", "two");
		assertThat(tree.match("a/c")).containsExactly("two");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> tree.match("a/c").add("x"));
	}

}
