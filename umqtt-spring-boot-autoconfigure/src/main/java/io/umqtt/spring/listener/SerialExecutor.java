package io.umqtt.spring.listener;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one after another, in the order given, on a shared executor: one subscription's
 * messages stay in order while different subscriptions run concurrently. A task the shared
 * executor rejects (it is shutting down) runs in the submitting thread, so nothing is lost.
 */
final class SerialExecutor implements Executor {

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
			next.run();
		}
	}

}
