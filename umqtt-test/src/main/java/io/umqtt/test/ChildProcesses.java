package io.umqtt.test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Broker processes this JVM started, killed by a shutdown hook should the JVM end before
 * the tests that started them could stop them.
 */
final class ChildProcesses {

	private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "umqtt-test-reaper"));
	}

	private ChildProcesses() {
	}

	static void register(Process process) {
		RUNNING.add(process);
	}

	static void unregister(Process process) {
		RUNNING.remove(process);
	}

	/**
	 * Ends a broker process: asks it to stop (SIGTERM) or kills it (SIGKILL), waits up to
	 * {@code timeout} for it to exit, kills it if it has not, and forgets it. An
	 * interrupt kills it at once and is restored.
	 */
	static void end(Process process, boolean kill, Duration timeout) {
		if (kill) {
			process.destroyForcibly();
		}
		else {
			process.destroy();
		}
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
		unregister(process);
	}

}
