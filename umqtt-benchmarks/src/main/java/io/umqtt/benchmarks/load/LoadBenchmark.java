package io.umqtt.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.umqtt.benchmarks.load.Scenarios.Scenario;
import io.umqtt.test.BrokerOptions;
import io.umqtt.test.FreePort;
import io.umqtt.test.MosquittoBroker;

/**
 * Runs the publish scenarios for umqtt, Paho 1.2.5, the HiveMQ client and the raw limit
 * side by side: each run in a fresh JVM, the clients' order rotated every round, against
 * the null broker and (when installed) Mosquitto, both started here on free loopback
 * ports. Prints a Markdown report: per scenario and client the median and min–max msg/s,
 * CPU µs and bytes allocated per message, peak RSS, and umqtt's ratio to each peer per
 * round. Scenario {@code publish5} does the same on MQTT 5 ({@link Publish5}).
 * <p>
 * Then, through Mosquitto, the {@link Scenarios other scenarios}: fan-in, ping-pong
 * latency, 1 MiB payloads, 1,000 connections and the cost of {@code @MqttSubscribe}
 * dispatch; and the Spring-level comparison, a Spring Boot application on umqtt's starter
 * against the same application on Spring Integration's MQTT adapters
 * ({@link io.umqtt.benchmarks.spring.SpringRun}), receiving and sending.
 * <p>
 * {@code java -cp umqtt-benchmarks/target/benchmarks.jar io.umqtt.benchmarks.load.LoadBenchmark [--quick] [--rounds N] [--out FILE] [--scenarios publish,publish5,fanin,pingpong,large,connections,dispatch,spring-in,spring-out,connections10k]}
 */
public final class LoadBenchmark {

	private static final List<String> CLIENTS = List.of("umqtt", "hivemq", "paho", "raw");

	private static final List<String> SCENARIOS = List.of("publish", "publish5", "fanin", "pingpong", "large",
			"connections", "dispatch", "spring-in", "spring-out", "connections10k");

	private LoadBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		List<String> options = Arrays.asList(args);
		boolean quick = options.contains("--quick");
		int rounds = intOption(options, "--rounds", quick ? 2 : 3);
		String out = stringOption(options, "--out", null);
		List<String> scenarios = Arrays
			.asList(stringOption(options, "--scenarios", String.join(",", SCENARIOS)).split(","));
		int inflight = 1_000;
		int payload = 64;
		// counts: the full mode, or a quick mode under 3 minutes on 2 cores
		int[] counts = quick ? new int[] { 200_000, 50_000, 25_000 } : new int[] { 1_000_000, 200_000, 100_000 };

		List<Result> results = new ArrayList<>();
		Publish5.Results results5 = null;
		List<Scenario> extra = new ArrayList<>();
		long started = System.nanoTime();
		Path wire = Files.createTempFile("umqtt-wire", ".txt");
		Process nullBroker = startNullBroker(wire);
		int nullPort = readyPort(nullBroker);
		MosquittoBroker mosquitto = null;
		try {
			List<String[]> brokers = new ArrayList<>();
			brokers.add(new String[] { "null broker", "127.0.0.1", Integer.toString(nullPort) });
			if (MosquittoBroker.isInstalled() && !options.contains("--no-mosquitto")) {
				mosquitto = new MosquittoBroker(BrokerOptions.DEFAULTS);
				mosquitto.start();
				brokers.add(new String[] { "mosquitto", "127.0.0.1", Integer.toString(mosquitto.port()) });
			}
			if (scenarios.contains("publish")) {
				for (String[] broker : brokers) {
					for (int qos = 0; qos <= 2; qos++) {
						for (int round = 0; round < rounds; round++) {
							for (int i = 0; i < CLIENTS.size(); i++) {
								String client = CLIENTS.get((i + round) % CLIENTS.size());
								Result result = run(client, broker, qos, counts[qos], payload, inflight, round);
								results.add(result);
							}
						}
					}
				}
			}
			if (scenarios.contains("publish5")) {
				results5 = Publish5.run(brokers, rounds, counts, payload, inflight, wire);
			}
			if (mosquitto != null) {
				String port = Integer.toString(mosquitto.port());
				extra.addAll(scenarios(scenarios, quick, rounds, port, Integer.toString(nullPort)));
			}
		}
		finally {
			nullBroker.destroyForcibly();
			Files.deleteIfExists(wire);
			if (mosquitto != null) {
				mosquitto.close();
			}
		}
		StringBuilder report = new StringBuilder(report(results, quick, rounds, counts, inflight, payload,
				Duration.ofNanos(System.nanoTime() - started)));
		if (results5 != null) {
			Publish5.report(results5, report);
		}
		Scenarios.report(extra, report);
		System.out.println(report);
		if (out != null) {
			Files.writeString(Path.of(out), report);
		}
	}

	/**
	 * Fan-in, ping-pong, 1 MiB payloads and many connections through Mosquitto; listener
	 * dispatch fed by the null broker.
	 */
	private static List<Scenario> scenarios(List<String> selected, boolean quick, int rounds, String port,
			String nullPort) throws IOException, InterruptedException {
		List<Scenario> results = new ArrayList<>();
		String host = "127.0.0.1";
		List<String> peers = List.of("umqtt", "hivemq", "paho");
		List<String> withRaw = List.of("umqtt", "hivemq", "paho", "raw");
		// quick mode: one round of these, so that it stays under 3 minutes
		for (int round = 0; round < (quick ? 1 : rounds); round++) {
			if (selected.contains("fanin")) {
				for (String client : rotated(peers, round)) {
					results.add(Scenario.run("fanin", round, javaCommand(ScenarioRun.class, "fanin", client, host, port,
							quick ? "40000" : "200000", "1", "64")));
				}
			}
			if (selected.contains("pingpong")) {
				for (int qos = 0; qos <= 1; qos++) {
					for (String client : rotated(withRaw, round)) {
						results.add(Scenario.run("pingpong", round, javaCommand(ScenarioRun.class, "pingpong", client,
								host, port, quick ? "5000" : "10000", Integer.toString(qos), "64", quick ? "4" : "8")));
					}
				}
			}
			if (selected.contains("large")) {
				for (String client : rotated(withRaw, round)) {
					results.add(Scenario.run("large", round,
							javaCommand(PublishRun.class, client, "mosquitto", host, port, "1", quick ? "300" : "2000",
									Integer.toString(1024 * 1024), "16", quick ? "50" : "200")));
				}
			}
			if (selected.contains("connections")) {
				for (String client : rotated(peers, round)) {
					results.add(Scenario.run("connections", round,
							javaCommand(ScenarioRun.class, "connections", client, host, port, "1000", "1", "0")));
				}
			}
			if (selected.contains("spring-in")) {
				String count = quick ? "50000" : "200000";
				String warmup = quick ? "20000" : "50000";
				for (String payload : List.of("bytes", "json")) {
					// the null broker speaks 3.1.1 only: the Paho v5 adapter runs through
					// Mosquitto
					for (String impl : rotated(List.of("umqtt", "si-paho3"), round)) {
						results.add(Scenario.run("spring-in/null broker", round,
								javaCommand(io.umqtt.benchmarks.spring.SpringRun.class, "in", impl, payload,
										"null-broker", host, nullPort, count, warmup)));
					}
					for (String impl : rotated(List.of("umqtt", "si-paho3", "si-paho5"), round)) {
						results.add(Scenario.run("spring-in/mosquitto", round,
								javaCommand(io.umqtt.benchmarks.spring.SpringRun.class, "in", impl, payload,
										"mosquitto", host, port, count, warmup)));
					}
				}
			}
			if (selected.contains("spring-out")) {
				String count = quick ? "50000" : "200000";
				String warmup = quick ? "20000" : "50000";
				for (int qos = 0; qos <= 1; qos++) {
					for (String[] broker : List.of(new String[] { "null broker", nullPort },
							new String[] { "mosquitto", port })) {
						for (String impl : rotated(List.of("umqtt", "si-paho3"), round)) {
							results.add(Scenario.run("spring-out/" + broker[0], round,
									javaCommand(io.umqtt.benchmarks.spring.SpringRun.class, "out", impl,
											broker[0].replace(' ', '-'), host, broker[1], Integer.toString(qos), count,
											warmup)));
						}
					}
				}
			}
			if (selected.contains("connections10k")) {
				// 10,000 descriptors on each side: the JVM raises its soft limit to the
				// hard one
				// (HotSpot's MaxFDLimit), and Mosquitto, started from it, inherits that
				for (String client : rotated(List.of("umqtt", "hivemq"), round)) {
					results.add(Scenario.run("connections10k", round,
							javaCommand(ScenarioRun.class, "connections", client, host, port, "10000", "1", "0")));
				}
			}
			if (selected.contains("dispatch")) {
				for (String mode : rotated(List.of("callback", "spring", "spring-serial"), round)) {
					results.add(Scenario.run("dispatch", round, javaCommand(DispatchRun.class, mode, host, nullPort,
							quick ? "100000" : "400000", "100000")));
				}
			}
		}
		return results;
	}

	private static List<String> rotated(List<String> clients, int round) {
		List<String> order = new ArrayList<>();
		for (int i = 0; i < clients.size(); i++) {
			order.add(clients.get((i + round) % clients.size()));
		}
		return order;
	}

	static List<String> javaCommand(Class<?> main, String... args) {
		List<String> command = new ArrayList<>(
				List.of(java(), "-Xms256m", "-Xmx1g", "-cp", System.getProperty("java.class.path"), main.getName()));
		command.addAll(Arrays.asList(args));
		return command;
	}

	private static Process startNullBroker(Path wire) throws IOException {
		int port = FreePort.find();
		return new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), NullBroker.class.getName(),
				Integer.toString(port), wire.toString())
			.redirectErrorStream(true)
			.start();
	}

	private static int readyPort(Process process) throws IOException {
		BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line = reader.readLine();
		if (line == null || !line.startsWith("READY ")) {
			throw new IllegalStateException("Null broker did not start: " + line);
		}
		return Integer.parseInt(line.substring(6).trim());
	}

	static Result run(String client, String[] broker, int qos, int count, int payload, int inflight, int round)
			throws IOException, InterruptedException {
		Scenario run = Scenario.run("publish", round,
				javaCommand(PublishRun.class, client, broker[0].replace(' ', '-'), broker[1], broker[2],
						Integer.toString(qos), Integer.toString(count), Integer.toString(payload),
						Integer.toString(inflight)));
		return new Result(client, broker[0], qos, round, run.value("msgPerSec"), run.value("cpuMicrosPerMsg"),
				run.value("allocBytesPerMsg"), run.value("peakRssMiB"));
	}

	private static String report(List<Result> results, boolean quick, int rounds, int[] counts, int inflight,
			int payload, Duration took) {
		StringBuilder md = new StringBuilder();
		md.append("Run ")
			.append(LocalDateTime.now().withNano(0))
			.append(", ")
			.append(quick ? "quick" : "full")
			.append(" mode, ")
			.append(rounds)
			.append(" rounds, ")
			.append(took.toSeconds())
			.append(" s; ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores, ")
			.append(System.getProperty("java.vm.name"))
			.append(' ')
			.append(System.getProperty("java.version"))
			.append("; ")
			.append(payload)
			.append("-byte payloads, in-flight window ")
			.append(inflight)
			.append("; messages per run: QoS 0 ")
			.append(counts[0])
			.append(", QoS 1 ")
			.append(counts[1])
			.append(", QoS 2 ")
			.append(counts[2])
			.append(".\n\n");
		if (results.isEmpty()) {
			return md.toString();
		}
		table(md, results, "umqtt");
		return md.toString();
	}

	/**
	 * One row per broker, QoS and client, with {@code subject}'s ratio to each other
	 * client, round by round.
	 */
	static void table(StringBuilder md, List<Result> results, String subject) {
		md.append("| broker | QoS | client | msg/s median (min–max) | CPU µs/msg | alloc B/msg | peak RSS MiB | "
				+ subject + " ÷ client per round |\n");
		md.append("|---|---|---|---|---|---|---|---|\n");
		Map<String, List<Result>> groups = new LinkedHashMap<>();
		for (Result result : results) {
			groups
				.computeIfAbsent(result.broker() + "|" + result.qos() + "|" + result.client(), (k) -> new ArrayList<>())
				.add(result);
		}
		for (Map.Entry<String, List<Result>> group : groups.entrySet()) {
			List<Result> runs = group.getValue();
			Result first = runs.get(0);
			List<String> ratios = new ArrayList<>();
			for (Result run : runs) {
				results.stream()
					.filter((r) -> r.client().equals(subject) && r.broker().equals(run.broker()) && r.qos() == run.qos()
							&& r.round() == run.round())
					.findFirst()
					.ifPresent((umqtt) -> ratios
						.add(String.format(Locale.ROOT, "%.2f", umqtt.msgPerSec() / run.msgPerSec())));
			}
			md.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f (%,.0f–%,.0f) | %.2f | %.0f | %.0f | %s |%n",
					first.broker(), first.qos(), first.client(), median(runs, Result::msgPerSec),
					runs.stream().mapToDouble(Result::msgPerSec).min().orElse(0),
					runs.stream().mapToDouble(Result::msgPerSec).max().orElse(0), median(runs, Result::cpuMicrosPerMsg),
					median(runs, Result::allocBytesPerMsg), median(runs, Result::peakRssMiB),
					first.client().equals(subject) ? "—" : String.join(", ", ratios)));
		}
	}

	static double median(List<Result> runs, java.util.function.ToDoubleFunction<Result> value) {
		double[] values = runs.stream().mapToDouble(value).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	private static String java() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	private static int intOption(List<String> options, String name, int fallback) {
		int index = options.indexOf(name);
		return (index >= 0 && index + 1 < options.size()) ? Integer.parseInt(options.get(index + 1)) : fallback;
	}

	private static String stringOption(List<String> options, String name, String fallback) {
		int index = options.indexOf(name);
		return (index >= 0 && index + 1 < options.size()) ? options.get(index + 1) : fallback;
	}

	record Result(String client, String broker, int qos, int round, double msgPerSec, double cpuMicrosPerMsg,
			double allocBytesPerMsg, double peakRssMiB) {
	}

}
