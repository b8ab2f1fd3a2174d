package io.umqtt.test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Broker processes this JVM started, killed by a shutdown hook should the JVM end before the
 * tests that started them could stop them.
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

}
