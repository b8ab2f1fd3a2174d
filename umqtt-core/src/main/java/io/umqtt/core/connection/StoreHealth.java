package io.umqtt.core.connection;

import io.umqtt.core.session.Session;
import io.umqtt.core.topic.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the session store records: its last failure is reported once, and shows in the
 * status and {@code lastError()} until a flush succeeds with the store working again.
 */
final class StoreHealth {

	private static final Logger logger = LoggerFactory.getLogger(Connection.class);

	private final String clientId;

	private final ClientEvents events;

	/** The last failure, until the store records again; {@code null} while it works. */
	private volatile String failure;

	StoreHealth(String clientId, ClientEvents events) {
		this.clientId = clientId;
		this.events = events;
	}

	String failure() {
		return this.failure;
	}

	/** A session store call threw: reported now, and kept until the store works again. */
	void failed(String what, RuntimeException cause) {
		String text = "Session store failed " + what + ": " + cause;
		boolean first = this.failure == null;
		this.failure = text;
		if (first) {
			logger.warn("Client '{}': {}", this.clientId, LogSafe.text(text), cause);
			this.events.error(text);
		}
	}

	/** A flush succeeded: the failure is over once the session says the store works. */
	void flushed(Session session) {
		if (this.failure != null && session.storeWorks()) {
			logger.info("Client '{}': the session store records again", this.clientId);
			this.failure = null;
		}
	}

}
