package io.umqtt.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the scenarios beyond single-client publishing, each in a fresh JVM, and writes
 * their tables: fan-in, ping-pong latency, 1 MiB payloads, 1,000 connections, and
 * {@code @MqttSubscribe} dispatch against a plain callback.
 */
final class Scenarios {

	private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[-0-9.]+)");

	private Scenarios() {
	}

	/** One run's figures. */
	record Scenario(String name, String client, int qos, int round, Map<String, Double> values) {

		double value(String key) {
			Double value = this.values.get(key);
			if (value == null) {
				throw new IllegalStateException(this.name + " " + this.client + " reported no " + key);
			}
			return value;
		}

		static Scenario run(String name, int round, List<String> command) throws IOException, InterruptedException {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(11, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException(name + " did not finish: " + command);
			}
			String json = output.lines()
				.filter((line) -> line.startsWith("{\"client\"") || line.startsWith("{\"scenario\""))
				.reduce((a, b) -> b)
				.orElseThrow(() -> new IllegalStateException(name + " failed: " + command + "\n" + output));
			Map<String, String> fields = new LinkedHashMap<>();
			Matcher matcher = FIELD.matcher(json);
			while (matcher.find()) {
				fields.put(matcher.group(1), matcher.group(2).replace("\"", ""));
			}
			Map<String, Double> values = new LinkedHashMap<>();
			fields.forEach((key, value) -> {
				if (!value.isEmpty() && (Character.isDigit(value.charAt(0)) || value.charAt(0) == '-')) {
					values.put(key, Double.parseDouble(value));
				}
			});
			Scenario scenario = new Scenario(name, fields.get("client"), Integer.parseInt(fields.get("qos")), round,
					values);
			System.err.println(scenario);
			return scenario;
		}

	}

	static void report(List<Scenario> results, StringBuilder md) {
		if (results.isEmpty()) {
			return;
		}
		table(md, results, "fanin", "Fan-in: 4 publishers → 1 subscriber of the same library through Mosquitto, QoS 1",
				new String[] { "msg/s received median (min–max)", "CPU µs/msg", "alloc B/msg", "peak RSS MiB" },
				(runs) -> new String[] { range(runs, (r) -> r.value("msgPerSec"), "%,.0f"),
						fmt(median(runs, (r) -> r.value("cpuMicrosPerMsg")), "%.2f"),
						fmt(median(runs, (r) -> r.value("allocBytesPerMsg")), "%.0f"),
						fmt(median(runs, (r) -> r.value("peakRssMiB")), "%.0f") },
				"umqtt ÷ client msg/s per round", "umqtt",
				(umqtt, peer) -> umqtt.value("msgPerSec") / peer.value("msgPerSec"));
		table(md, results, "pingpong",
				"Ping-pong through Mosquitto: publish, wait for the message to come back, repeat; round trip in µs",
				new String[] { "p50", "p99", "p99.9", "CPU µs per round trip" },
				(runs) -> new String[] { fmt(median(runs, (r) -> r.value("p50Micros")), "%.1f"),
						fmt(median(runs, (r) -> r.value("p99Micros")), "%.1f"),
						fmt(median(runs, (r) -> r.value("p999Micros")), "%.1f"),
						fmt(median(runs, (r) -> r.value("cpuMicrosPerMsg")), "%.2f") },
				"umqtt ÷ client p50 / p99 per round", "umqtt", null);
		table(md, results, "large", "1 MiB payloads, QoS 1, window 16, through Mosquitto",
				new String[] { "MiB/s median (min–max)", "CPU µs/msg", "alloc B/msg", "peak RSS MiB" },
				(runs) -> new String[] {
						range(runs, (r) -> r.value("msgPerSec") * r.value("payload") / (1024 * 1024), "%,.1f"),
						fmt(median(runs, (r) -> r.value("cpuMicrosPerMsg")), "%.0f"),
						fmt(median(runs, (r) -> r.value("allocBytesPerMsg")), "%,.0f"),
						fmt(median(runs, (r) -> r.value("peakRssMiB")), "%.0f") },
				"umqtt ÷ client MiB/s per round", "umqtt",
				(umqtt, peer) -> umqtt.value("msgPerSec") / peer.value("msgPerSec"));
		for (String[] connections : new String[][] { { "connections", "1,000" }, { "connections10k", "10,000" } }) {
			table(md, results, connections[0],
					connections[1] + " clients of one library connecting and subscribing at once to Mosquitto",
					new String[] { "seconds until all subscribed", "heap KiB per connection", "threads",
							"peak RSS MiB" },
					(runs) -> new String[] { fmt(median(runs, (r) -> r.value("connectSeconds")), "%.2f"),
							fmt(median(runs, (r) -> r.value("heapPerConnectionKiB")), "%.1f"),
							fmt(median(runs, (r) -> r.value("threads")), "%.0f"),
							fmt(median(runs, (r) -> r.value("peakRssMiB")), "%.0f") },
					"umqtt ÷ client heap per connection, per round", "umqtt",
					(umqtt, peer) -> umqtt.value("heapPerConnectionKiB") / peer.value("heapPerConnectionKiB"));
		}
		table(md, results, "dispatch",
				"Receiving from the null broker as fast as the receiver acknowledges, QoS 1: a core `setCallback` listener (callback) against an `@MqttSubscribe` method in Spring Boot, on the task executor (spring, the default) or on the client's dispatch thread (spring-serial)",
				new String[] { "CPU µs per received message, median (min–max)", "alloc B/msg", "peak RSS MiB" },
				(runs) -> new String[] { range(runs, (r) -> r.value("cpuMicrosPerMsg"), "%.2f"),
						fmt(median(runs, (r) -> r.value("allocBytesPerMsg")), "%.0f"),
						fmt(median(runs, (r) -> r.value("peakRssMiB")), "%.0f") },
				"client ÷ callback CPU per round", "callback",
				(callback, spring) -> spring.value("cpuMicrosPerMsg") / callback.value("cpuMicrosPerMsg"));
		for (String broker : List.of("null broker", "mosquitto")) {
			springTable(md, results, "spring-in/" + broker, "Spring Boot application receiving QoS 1 from the " + broker
					+ (broker.equals("mosquitto") ? " (four umqtt publishers in another JVM, fan-in)"
							: " (as fast as acknowledged)")
					+ ": `@MqttSubscribe` (umqtt) against Spring Integration's Paho v3 / v5 inbound adapters and a `@ServiceActivator`; payload as `byte[]` or a record from JSON");
		}
		for (String broker : List.of("null broker", "mosquitto")) {
			springTable(md, results, "spring-out/" + broker,
					"Spring Boot application publishing 64-byte payloads to the " + broker
							+ ", at most 1,000 unacknowledged: `MqttTemplate.publish` (umqtt) against Spring Integration's asynchronous `MqttPahoMessageHandler`");
		}
	}

	/**
	 * One row per implementation and payload; each compared, round by round, with umqtt
	 * receiving or sending the same payload at the same QoS.
	 */
	private static void springTable(StringBuilder md, List<Scenario> all, String name, String title) {
		Map<String, List<Scenario>> groups = groups(all, name);
		if (groups.isEmpty()) {
			return;
		}
		md.append("\n")
			.append(title)
			.append(":\n\n| QoS | application | msg/s median (min–max) | CPU µs/msg | alloc B/msg | peak RSS MiB | umqtt ÷ this: msg/s, CPU per msg, per round |\n|---|---|---|---|---|---|---|\n");
		for (List<Scenario> runs : groups.values()) {
			Scenario first = runs.get(0);
			String payload = first.client().contains("-json") ? "-json"
					: first.client().contains("-bytes") ? "-bytes" : "";
			String umqtt = "umqtt" + payload;
			List<String> ratios = new ArrayList<>();
			if (!first.client().equals(umqtt)) {
				for (Scenario run : runs) {
					all.stream()
						.filter((r) -> r.name().equals(name) && r.client().equals(umqtt) && r.qos() == run.qos()
								&& r.round() == run.round())
						.findFirst()
						.ifPresent((mine) -> ratios.add(fmt(mine.value("msgPerSec") / run.value("msgPerSec"), "%.2f")
								+ ", " + fmt(mine.value("cpuMicrosPerMsg") / run.value("cpuMicrosPerMsg"), "%.2f")));
				}
			}
			md.append("| ")
				.append(first.qos())
				.append(" | ")
				.append(first.client())
				.append(" | ")
				.append(range(runs, (r) -> r.value("msgPerSec"), "%,.0f"))
				.append(" | ")
				.append(fmt(median(runs, (r) -> r.value("cpuMicrosPerMsg")), "%.2f"))
				.append(" | ")
				.append(fmt(median(runs, (r) -> r.value("allocBytesPerMsg")), "%.0f"))
				.append(" | ")
				.append(fmt(median(runs, (r) -> r.value("peakRssMiB")), "%.0f"))
				.append(" | ")
				.append(first.client().equals(umqtt) ? "—" : String.join("; ", ratios))
				.append(" |\n");
		}
	}

	/** The runs of one scenario, grouped by QoS and client, in the order they ran. */
	private static Map<String, List<Scenario>> groups(List<Scenario> all, String name) {
		Map<String, List<Scenario>> groups = new LinkedHashMap<>();
		for (Scenario result : all) {
			if (result.name().equals(name)) {
				groups.computeIfAbsent(result.qos() + "|" + result.client(), (k) -> new ArrayList<>()).add(result);
			}
		}
		return groups;
	}

	private static void table(StringBuilder md, List<Scenario> all, String name, String title, String[] columns,
			java.util.function.Function<List<Scenario>, String[]> cells, String ratioColumn, String subject,
			java.util.function.BiFunction<Scenario, Scenario, Double> ratio) {
		Map<String, List<Scenario>> groups = groups(all, name);
		if (groups.isEmpty()) {
			return;
		}
		md.append("\n")
			.append(title)
			.append(":\n\n| QoS | client | ")
			.append(String.join(" | ", columns))
			.append(" | ")
			.append(ratioColumn)
			.append(" |\n|---|---|");
		md.append("---|".repeat(columns.length + 1)).append('\n');
		for (List<Scenario> runs : groups.values()) {
			Scenario first = runs.get(0);
			List<String> ratios = new ArrayList<>();
			if (!first.client().equals(subject)) {
				for (Scenario run : runs) {
					all.stream()
						.filter((r) -> r.name().equals(name) && r.client().equals(subject) && r.qos() == run.qos()
								&& r.round() == run.round())
						.findFirst()
						.ifPresent((mine) -> ratios.add((ratio != null) ? fmt(ratio.apply(mine, run), "%.2f")
								: fmt(mine.value("p50Micros") / run.value("p50Micros"), "%.2f") + " / "
										+ fmt(mine.value("p99Micros") / run.value("p99Micros"), "%.2f")));
				}
			}
			md.append("| ")
				.append(first.qos())
				.append(" | ")
				.append(first.client())
				.append(" | ")
				.append(String.join(" | ", cells.apply(runs)))
				.append(" | ")
				.append(first.client().equals(subject) ? "—" : String.join(", ", ratios))
				.append(" |\n");
		}
	}

	private static String range(List<Scenario> runs, ToDoubleFunction<Scenario> value, String format) {
		return fmt(median(runs, value), format) + " (" + fmt(runs.stream().mapToDouble(value).min().orElse(0), format)
				+ "–" + fmt(runs.stream().mapToDouble(value).max().orElse(0), format) + ")";
	}

	private static double median(List<Scenario> runs, ToDoubleFunction<Scenario> value) {
		double[] values = runs.stream().mapToDouble(value).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	private static String fmt(double value, String format) {
		return String.format(Locale.ROOT, format, value);
	}

}
