package io.umqtt.spring.listener;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs tasks one after another, in the order given, on a shared executor: one
 * subscription's messages stay in order while different subscriptions run concurrently. A
 * task the shared executor rejects (it is shutting down) runs in the submitting thread,
 * so nothing is lost.
 * <p>
 * Whatever a task throws, {@code Error}s included, is logged and the next task runs: one
 * failing task never stops the ones behind it.
 */
final class SerialExecutor implements Executor {

	private static final Log logger = LogFactory.getLog(SerialExecutor.class);

	private final Executor delegate;

	private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

	private boolean running;

	SerialExecutor(Executor delegate) {
		this.delegate = delegate;
	}

	@Override
	public void execute(Runnable task) {
		synchronized (this) {
			this.tasks.add(task);
			if (this.running) {
				return;
			}
			this.running = true;
		}
		try {
			this.delegate.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			drain();
		}
	}

	private void drain() {
		while (true) {
			Runnable next;
			synchronized (this) {
				next = this.tasks.poll();
				if (next == null) {
					this.running = false;
					return;
				}
			}
			try {
				next.run();
			}
			catch (Throwable ex) {
				// the task is over either way; the ones behind it must still run
				logger.error("A listener task failed; the next one runs", ex);
			}
		}
	}

}
