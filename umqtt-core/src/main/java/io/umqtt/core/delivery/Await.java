package io.umqtt.core.delivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.umqtt.core.MqttException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The blocking waits of the client's blocking methods, in one place. */
public final class Await {

	private static final Logger logger = LoggerFactory.getLogger("io.umqtt.core.MqttClient");

	private Await() {
	}

	/**
	 * Waits for {@code future} and turns every way it can go wrong into an
	 * {@link MqttException} that says what was being done.
	 */
	public static <T> T orThrow(CompletableFuture<T> future, Duration timeout, String doing, String timedOut) {
		try {
			return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof MqttException mqtt) {
				throw new MqttException(mqtt.getMessage(), mqtt.returnCode(), mqtt.reasonCode(), mqtt);
			}
			throw new MqttException(doing + " failed: " + cause.getMessage(), cause);
		}
		catch (TimeoutException ex) {
			throw new MqttException(timedOut, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MqttException("Interrupted: " + doing, ex);
		}
	}

	/** Waits up to {@code timeout} for {@code future}, whatever comes of it. */
	public static void quietly(CompletableFuture<?> future, Duration timeout) {
		try {
			future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("Gave up waiting: {}", ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Waits up to {@code timeout} for a publish.
	 * @return {@code null} when it completed, else why not (made only then)
	 */
	public static @Nullable Failed published(CompletableFuture<Void> publish, Duration timeout) {
		try {
			publish.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return null;
		}
		catch (ExecutionException ex) {
			return new Failed(String.valueOf(ex.getCause().getMessage()), ex.getCause());
		}
		catch (TimeoutException ex) {
			return new Failed("not confirmed within " + timeout.toMillis() + " ms", null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Failed("interrupted", ex);
		}
	}

	/** Why a publish did not complete. */
	public record Failed(String reason, @Nullable Throwable cause) {
	}

}
