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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.umqtt.test.BrokerOptions;
import io.umqtt.test.FreePort;
import io.umqtt.test.MosquittoBroker;

/**
 * Runs the publish scenarios for umqtt, Paho 1.2.5, the HiveMQ client and the raw limit side by
 * side: each run in a fresh JVM, the clients' order rotated every round, against the null broker
 * and (when installed) Mosquitto, both started here on free loopback ports. Prints a Markdown
 * report: per scenario and client the median and min–max msg/s, CPU µs and bytes allocated per
 * message, peak RSS, and umqtt's ratio to each peer per round.
 * <p>
 * {@code java -cp umqtt-benchmarks/target/benchmarks.jar io.umqtt.benchmarks.load.LoadBenchmark [--quick] [--rounds N] [--out FILE]}
 */
public final class LoadBenchmark {

	private static final List<String> CLIENTS = List.of("umqtt", "hivemq", "paho", "raw");

	private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[-0-9.]+)");

	private LoadBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		List<String> options = Arrays.asList(args);
		boolean quick = options.contains("--quick");
		int rounds = intOption(options, "--rounds", quick ? 2 : 3);
		String out = stringOption(options, "--out", null);
		int inflight = 1_000;
		int payload = 64;
		// counts: the full mode, or a quick mode under 3 minutes on 2 cores
		int[] counts = quick ? new int[] { 200_000, 50_000, 25_000 } : new int[] { 1_000_000, 200_000, 100_000 };

		List<Result> results = new ArrayList<>();
		long started = System.nanoTime();
		Process nullBroker = startNullBroker();
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
			for (String[] broker : brokers) {
				for (int qos = 0; qos <= 2; qos++) {
					for (int round = 0; round < rounds; round++) {
						for (int i = 0; i < CLIENTS.size(); i++) {
							String client = CLIENTS.get((i + round) % CLIENTS.size());
							Result result = run(client, broker, qos, counts[qos], payload, inflight, round);
							results.add(result);
							System.err.println(result);
						}
					}
				}
			}
		}
		finally {
			nullBroker.destroyForcibly();
			if (mosquitto != null) {
				mosquitto.close();
			}
		}
		String report = report(results, quick, rounds, counts, inflight, payload,
				Duration.ofNanos(System.nanoTime() - started));
		System.out.println(report);
		if (out != null) {
			Files.writeString(Path.of(out), report);
		}
	}

	private static Process startNullBroker() throws IOException {
		int port = FreePort.find();
		return new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
				NullBroker.class.getName(), Integer.toString(port))
			.redirectErrorStream(true)
			.start();
	}

	private static int readyPort(Process process) throws IOException {
		BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line = reader.readLine();
		if (line == null || !line.startsWith("READY ")) {
			throw new IllegalStateException("Null broker did not start: " + line);
		}
		return Integer.parseInt(line.substring(6).trim());
	}

	private static Result run(String client, String[] broker, int qos, int count, int payload, int inflight, int round)
			throws IOException, InterruptedException {
		Process process = new ProcessBuilder(java(), "-Xms256m", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
				PublishRun.class.getName(), client, broker[0].replace(' ', '-'), broker[1], broker[2],
				Integer.toString(qos), Integer.toString(count), Integer.toString(payload), Integer.toString(inflight))
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(11, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException(client + " did not finish");
		}
		String json = output.lines().filter((line) -> line.startsWith("{\"client\"")).reduce((a, b) -> b).orElse(null);
		if (json == null) {
			throw new IllegalStateException(client + " QoS " + qos + " against " + broker[0] + " failed:\n" + output);
		}
		Map<String, String> fields = new LinkedHashMap<>();
		Matcher matcher = FIELD.matcher(json);
		while (matcher.find()) {
			fields.put(matcher.group(1), matcher.group(2).replace("\"", ""));
		}
		return new Result(client, broker[0], qos, round, Double.parseDouble(fields.get("msgPerSec")),
				Double.parseDouble(fields.get("cpuMicrosPerMsg")), Double.parseDouble(fields.get("allocBytesPerMsg")),
				Double.parseDouble(fields.get("peakRssMiB")));
	}

	private static String report(List<Result> results, boolean quick, int rounds, int[] counts, int inflight,
			int payload, Duration took) {
		StringBuilder md = new StringBuilder();
		md.append("Run ").append(LocalDateTime.now().withNano(0)).append(", ").append(quick ? "quick" : "full")
			.append(" mode, ").append(rounds).append(" rounds, ").append(took.toSeconds()).append(" s; ")
			.append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
			.append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
			.append("; ").append(payload).append("-byte payloads, in-flight window ").append(inflight)
			.append("; messages per run: QoS 0 ").append(counts[0]).append(", QoS 1 ").append(counts[1])
			.append(", QoS 2 ").append(counts[2]).append(".\n\n");
		md.append("| broker | QoS | client | msg/s median (min–max) | CPU µs/msg | alloc B/msg | peak RSS MiB | umqtt ÷ client per round |\n");
		md.append("|---|---|---|---|---|---|---|---|\n");
		Map<String, List<Result>> groups = new LinkedHashMap<>();
		for (Result result : results) {
			groups.computeIfAbsent(result.broker() + "|" + result.qos() + "|" + result.client(), (k) -> new ArrayList<>())
				.add(result);
		}
		for (Map.Entry<String, List<Result>> group : groups.entrySet()) {
			List<Result> runs = group.getValue();
			Result first = runs.get(0);
			List<String> ratios = new ArrayList<>();
			for (Result run : runs) {
				results.stream()
					.filter((r) -> r.client().equals("umqtt") && r.broker().equals(run.broker()) && r.qos() == run.qos()
							&& r.round() == run.round())
					.findFirst()
					.ifPresent((umqtt) -> ratios.add(String.format(Locale.ROOT, "%.2f", umqtt.msgPerSec() / run.msgPerSec())));
			}
			md.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f (%,.0f–%,.0f) | %.2f | %.0f | %.0f | %s |%n",
					first.broker(), first.qos(), first.client(), median(runs, Result::msgPerSec),
					runs.stream().mapToDouble(Result::msgPerSec).min().orElse(0),
					runs.stream().mapToDouble(Result::msgPerSec).max().orElse(0), median(runs, Result::cpuMicrosPerMsg),
					median(runs, Result::allocBytesPerMsg), median(runs, Result::peakRssMiB),
					first.client().equals("umqtt") ? "—" : String.join(", ", ratios)));
		}
		return md.toString();
	}

	private static double median(List<Result> runs, java.util.function.ToDoubleFunction<Result> value) {
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
