package io.umqtt.core.session;

/**
 * The session's way to its {@link SessionStore}: whether the store keeps anything,
 * whether its last call succeeded, and who hears of its failures (see
 * {@link Session#onStoreFailure}). Confined to the session's thread.
 */
final class StoreRecorder {

	final SessionStore store;

	/** Whether the store keeps anything (payloads are copied for it only then). */
	final boolean persistent;

	private Session.StoreFailureListener failures = (what, failure) -> {
	};

	/** Whether the last store call succeeded. */
	private boolean works = true;

	StoreRecorder(SessionStore store) {
		this.store = store;
		this.persistent = store != SessionStore.IN_MEMORY;
	}

	void listener(Session.StoreFailureListener listener) {
		this.failures = listener;
	}

	boolean works() {
		return this.works;
	}

	/** A store call succeeded. */
	void stored() {
		this.works = true;
	}

	/**
	 * A store call threw: reported, and {@link #works()} is false until the next one
	 * succeeds.
	 */
	void failed(String what, RuntimeException failure) {
		this.works = false;
		this.failures.failed(what, failure);
	}

	/**
	 * Flushes the store, reporting a failure rather than throwing it.
	 * @return whether the flush succeeded
	 */
	boolean flush() {
		try {
			this.store.flush();
			return true;
		}
		catch (RuntimeException ex) {
			failed("flushing the session store", ex);
			return false;
		}
	}

}
