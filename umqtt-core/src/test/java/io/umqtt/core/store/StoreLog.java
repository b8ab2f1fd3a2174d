package io.umqtt.core.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/** Collects what {@link FileSessionStore} logs at WARN while a test runs. */
final class StoreLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

	private final Logger logger = (Logger) LoggerFactory.getLogger(FileSessionStore.class);

	private final List<String> warnings = new CopyOnWriteArrayList<>();

	StoreLog() {
		start();
		this.logger.addAppender(this);
	}

	@Override
	protected void append(ILoggingEvent event) {
		if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
			this.warnings.add(event.getFormattedMessage());
		}
	}

	List<String> warnings() {
		return this.warnings;
	}

	@Override
	public void close() {
		this.logger.detachAppender(this);
		stop();
	}

}
