package io.umqtt.benchmarks.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What one publish run costs the client's JVM: wall time, process CPU time, bytes
 * allocated by all its threads, peak resident memory.
 */
public final class Measurement {

	private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private long startNanos;

	private long startCpu;

	private Map<Long, Long> startAllocated;

	public void start() {
		this.startAllocated = allocatedByThread();
		this.startCpu = this.os.getProcessCpuTime();
		this.startNanos = System.nanoTime();
	}

	public String stop(String client, String broker, int qos, int count, int payloadSize) {
		long nanos = System.nanoTime() - this.startNanos;
		long cpu = this.os.getProcessCpuTime() - this.startCpu;
		long allocated = 0;
		for (Map.Entry<Long, Long> entry : allocatedByThread().entrySet()) {
			allocated += entry.getValue() - this.startAllocated.getOrDefault(entry.getKey(), 0L);
		}
		double seconds = nanos / 1e9;
		return String.format(java.util.Locale.ROOT,
				"{\"client\":\"%s\",\"broker\":\"%s\",\"qos\":%d,\"count\":%d,\"payload\":%d,\"seconds\":%.3f,"
						+ "\"msgPerSec\":%.0f,\"cpuMicrosPerMsg\":%.3f,\"allocBytesPerMsg\":%.1f,\"peakRssMiB\":%.1f}",
				client, broker, qos, count, payloadSize, seconds, count / seconds, cpu / 1e3 / count,
				(double) allocated / count, peakRssMiB());
	}

	private Map<Long, Long> allocatedByThread() {
		long[] ids = this.threads.getAllThreadIds();
		long[] bytes = this.threads.getThreadAllocatedBytes(ids);
		Map<Long, Long> result = new HashMap<>();
		for (int i = 0; i < ids.length; i++) {
			if (bytes[i] >= 0) {
				result.put(ids[i], bytes[i]);
			}
		}
		return result;
	}

	private static double peakRssMiB() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
		return -1;
	}

}
