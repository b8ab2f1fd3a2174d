package io.umqtt.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link Mqtt5PropertyException}: which MQTT 5 keys were set for a client on
 * MQTT 3.1 or 3.1.1, and the version key to set.
 */
class Mqtt5PropertyFailureAnalyzer extends AbstractFailureAnalyzer<Mqtt5PropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, Mqtt5PropertyException cause) {
		String keys = String.join(", ", cause.getKeys());
		String mqtt = (cause.getVersion() == 3) ? "MQTT 3.1" : "MQTT 3.1.1";
		String description = keys + ((cause.getKeys().size() == 1) ? " is an MQTT 5 setting" : " are MQTT 5 settings")
				+ ", but " + cause.getVersionKey() + " is " + cause.getVersion() + " (" + mqtt + "), which cannot send "
				+ ((cause.getKeys().size() == 1) ? "it" : "them") + ".";
		String action = "Set " + cause.getVersionKey() + ": 5, or remove " + keys + "."
				+ (cause.getPrefix().equals("umqtt") ? ""
						: " A named client does not take umqtt.version from the top level.");
		return new FailureAnalysis(description, action, cause);
	}

}
