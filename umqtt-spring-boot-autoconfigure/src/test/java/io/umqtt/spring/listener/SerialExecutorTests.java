package io.umqtt.spring.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failing task, an {@code Error} included, never stops the tasks behind it.
 */
class SerialExecutorTests {

	private final ExecutorService pool = Executors.newFixedThreadPool(2);

	@AfterEach
	void stopPool() {
		this.pool.shutdownNow();
	}

	@Test
	void theTasksAfterOneThatThrowsAnErrorStillRunInOrder() {
		SerialExecutor executor = new SerialExecutor(this.pool);
		List<Integer> ran = new CopyOnWriteArrayList<>();
		executor.execute(() -> {
			throw new StackOverflowError("listener recursed");
		});
		for (int i = 1; i <= 100; i++) {
			int n = i;
			executor.execute(() -> ran.add(n));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 100);
		assertThat(ran).isSorted();
	}

	@Test
	void aTaskThrowingARuntimeExceptionDoesNotStopTheNextOne() {
		SerialExecutor executor = new SerialExecutor(this.pool);
		List<String> ran = new CopyOnWriteArrayList<>();
		executor.execute(() -> {
			throw new IllegalStateException("error handler failed");
		});
		executor.execute(() -> ran.add("second"));
		await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains("second"));
	}

}
