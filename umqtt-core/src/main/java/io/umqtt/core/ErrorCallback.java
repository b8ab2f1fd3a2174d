package io.umqtt.core;

/**
 * Receives what the reference's {@code error_register_cb(callback)} reports: {@code
 * "reconnect_start"} and {@code "reconnect_success"} around an internal reconnection, and
 * the error text when the connection fails otherwise.
 */
@FunctionalInterface
public interface ErrorCallback {

	/** Text reported when an internal reconnection starts. */
	String RECONNECT_START = "reconnect_start";

	/** Text reported when an internal reconnection succeeded. */
	String RECONNECT_SUCCESS = "reconnect_success";

	/**
	 * Called on the client's event thread, never the network thread, so it may call
	 * {@code close()}, {@code connect()} and {@code subscribe()} (the reference's
	 * external reconnection).
	 * @param err what happened
	 */
	void onError(String err);

}
