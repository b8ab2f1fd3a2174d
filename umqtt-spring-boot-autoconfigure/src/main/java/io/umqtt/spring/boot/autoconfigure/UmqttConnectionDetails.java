package io.umqtt.spring.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the primary client connects, and as whom: from {@code umqtt.*} properties by
 * default, from the embedded broker when it runs, or from a service connection.
 */
public interface UmqttConnectionDetails extends ConnectionDetails {

	/** Broker host. */
	String getServer();

	/** Broker port; 0 for the protocol default. */
	int getPort();

	/** User name, or {@code null}. */
	default @Nullable String getUser() {
		return null;
	}

	/** Password, or {@code null}. */
	default @Nullable String getPassword() {
		return null;
	}

}
