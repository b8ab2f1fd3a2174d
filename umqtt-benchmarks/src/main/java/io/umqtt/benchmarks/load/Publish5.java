package io.umqtt.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.umqtt.benchmarks.load.LoadBenchmark.Result;
import io.umqtt.benchmarks.load.Scenarios.Scenario;

/**
 * The {@code publish5} scenario: the publish scenarios on MQTT 5. umqtt with
 * {@code version(5)} against HiveMQ's {@code Mqtt5AsyncClient}, Paho's v5 client and
 * umqtt on 3.1.1, with the payloads, counts and window of the 3.1.1 publish scenarios, at
 * QoS 0, 1 and 2, against the null broker and Mosquitto. Then the topic aliases: QoS 1 to
 * a topic of {@value #LONG_TOPIC_LENGTH} bytes, umqtt with and without outbound aliases
 * beside the two peers (which alias automatically too), with the bytes each client sent
 * per PUBLISH as the null broker counted them.
 */
final class Publish5 {

	static final List<String> CLIENTS = List.of("umqtt5", "umqtt", "hivemq5", "paho5");

	static final List<String> ALIAS_CLIENTS = List.of("umqtt5", "umqtt5-noalias", "hivemq5", "paho5");

	static final int LONG_TOPIC_LENGTH = 100;

	private Publish5() {
	}

	/** The publish runs, and the runs to a long topic. */
	record Results(List<Result> publish, List<AliasResult> aliases) {
	}

	/**
	 * A run to the long topic; bytes per PUBLISH are -1 where not counted (Mosquitto).
	 */
	record AliasResult(String client, String broker, int round, double msgPerSec, double bytesPerPublish) {
	}

	static Results run(List<String[]> brokers, int rounds, int[] counts, int payload, int inflight, Path wire)
			throws IOException, InterruptedException {
		List<Result> publish = new ArrayList<>();
		for (String[] broker : brokers) {
			for (int qos = 0; qos <= 2; qos++) {
				for (int round = 0; round < rounds; round++) {
					for (int i = 0; i < CLIENTS.size(); i++) {
						String client = CLIENTS.get((i + round) % CLIENTS.size());
						publish.add(LoadBenchmark.run(client, broker, qos, counts[qos], payload, inflight, round));
					}
				}
			}
		}
		String topic = longTopic();
		int count = counts[1];
		List<AliasResult> aliases = new ArrayList<>();
		for (String[] broker : brokers) {
			boolean counted = broker[0].equals("null broker");
			for (int round = 0; round < rounds; round++) {
				for (int i = 0; i < ALIAS_CLIENTS.size(); i++) {
					String client = ALIAS_CLIENTS.get((i + round) % ALIAS_CLIENTS.size());
					Scenario run = Scenario.run("publish5-alias", round,
							LoadBenchmark.javaCommand(PublishRun.class, client, broker[0].replace(' ', '-'), broker[1],
									broker[2], "1", Integer.toString(count), Integer.toString(payload),
									Integer.toString(inflight), Integer.toString(Math.max(50_000, count / 4)), topic));
					double bytes = counted ? bytesPerPublish(wire, (long) run.value("pid")) : -1;
					aliases.add(new AliasResult(client, broker[0], round, run.value("msgPerSec"), bytes));
				}
			}
		}
		return new Results(publish, aliases);
	}

	/** {@code bench/load/} and then {@code x} up to {@value #LONG_TOPIC_LENGTH} bytes. */
	static String longTopic() {
		String prefix = "bench/load/";
		return prefix + "x".repeat(LONG_TOPIC_LENGTH - prefix.length());
	}

	/**
	 * What the null broker wrote down for the connection of process {@code pid}: all the
	 * bytes it sent (CONNECT and DISCONNECT included) over its PUBLISHes.
	 */
	private static double bytesPerPublish(Path wire, long pid) throws IOException, InterruptedException {
		String suffix = "-" + pid + " ";
		// the null broker writes the line when it sees the connection close
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (System.nanoTime() < deadline) {
			for (String line : Files.readAllLines(wire, StandardCharsets.UTF_8)) {
				if (line.contains(suffix)) {
					String[] fields = line.split(" ");
					return Double.parseDouble(fields[1]) / Double.parseDouble(fields[2]);
				}
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException("No wire statistics for process " + pid);
	}

	static void report(Results results, StringBuilder md) {
		md.append("\nMQTT 5: the same publish runs with umqtt on `version(5)`, HiveMQ's `Mqtt5AsyncClient`"
				+ " and Paho's v5 `MqttAsyncClient`, and umqtt on 3.1.1 for comparison:\n\n");
		LoadBenchmark.table(md, results.publish(), "umqtt5");
		md.append("\nMQTT 5 topic aliases: QoS 1 to a topic of ")
			.append(LONG_TOPIC_LENGTH)
			.append(" bytes; bytes on the wire per PUBLISH as counted by the null broker (everything the client"
					+ " sent over the PUBLISHes; not counted through Mosquitto):\n\n")
			.append("| broker | client | msg/s median (min–max) | bytes per PUBLISH | ÷ umqtt5-noalias bytes"
					+ " | umqtt5 ÷ client msg/s per round |\n|---|---|---|---|---|---|\n");
		Map<String, List<AliasResult>> groups = new LinkedHashMap<>();
		for (AliasResult result : results.aliases()) {
			groups.computeIfAbsent(result.broker() + "|" + result.client(), (k) -> new ArrayList<>()).add(result);
		}
		for (List<AliasResult> runs : groups.values()) {
			AliasResult first = runs.get(0);
			double bytes = median(runs, AliasResult::bytesPerPublish);
			List<AliasResult> plain = groups.getOrDefault(first.broker() + "|umqtt5-noalias", List.of());
			double plainBytes = plain.isEmpty() ? -1 : median(plain, AliasResult::bytesPerPublish);
			List<String> ratios = new ArrayList<>();
			for (AliasResult run : runs) {
				results.aliases()
					.stream()
					.filter((r) -> r.client().equals("umqtt5") && r.broker().equals(run.broker())
							&& r.round() == run.round())
					.findFirst()
					.ifPresent((mine) -> ratios.add(fmt("%.2f", mine.msgPerSec() / run.msgPerSec())));
			}
			md.append(fmt("| %s | %s | %,.0f (%,.0f–%,.0f) | %s | %s | %s |%n", first.broker(), first.client(),
					median(runs, AliasResult::msgPerSec),
					runs.stream().mapToDouble(AliasResult::msgPerSec).min().orElse(0),
					runs.stream().mapToDouble(AliasResult::msgPerSec).max().orElse(0),
					(bytes < 0) ? "—" : fmt("%.1f", bytes),
					(bytes < 0 || plainBytes <= 0) ? "—" : fmt("%.2f", bytes / plainBytes),
					first.client().equals("umqtt5") ? "—" : String.join(", ", ratios)));
		}
	}

	private static double median(List<AliasResult> runs, java.util.function.ToDoubleFunction<AliasResult> value) {
		double[] values = runs.stream().mapToDouble(value).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	private static String fmt(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

}
