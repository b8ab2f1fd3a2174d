package io.umqtt.core.packet;

import java.util.ArrayList;
import java.util.List;

import io.umqtt.core.UserProperty;

/**
 * Builds {@link PacketProperties}. Setters check the value's range (a byte flag is 0 or
 * 1, a two-byte integer 0 to 65,535, …) and throw {@link IllegalArgumentException}
 * otherwise; the codec checks which packet may carry which.
 */
public final class PacketPropertiesBuilder {

	int payloadFormatIndicator = PacketProperties.ABSENT;

	long messageExpiryInterval = PacketProperties.ABSENT;

	String contentType;

	String responseTopic;

	byte[] correlationData;

	/**
	 * Made at the first one added, as is {@link #userProperties}: most packets have
	 * neither.
	 */
	List<Integer> subscriptionIdentifiers;

	long sessionExpiryInterval = PacketProperties.ABSENT;

	String assignedClientIdentifier;

	int serverKeepAlive = PacketProperties.ABSENT;

	String authenticationMethod;

	byte[] authenticationData;

	int requestProblemInformation = PacketProperties.ABSENT;

	long willDelayInterval = PacketProperties.ABSENT;

	int requestResponseInformation = PacketProperties.ABSENT;

	String responseInformation;

	String serverReference;

	String reasonString;

	int receiveMaximum = PacketProperties.ABSENT;

	int topicAliasMaximum = PacketProperties.ABSENT;

	int topicAlias = PacketProperties.ABSENT;

	int maximumQos = PacketProperties.ABSENT;

	int retainAvailable = PacketProperties.ABSENT;

	List<UserProperty> userProperties;

	long maximumPacketSize = PacketProperties.ABSENT;

	int wildcardSubscriptionAvailable = PacketProperties.ABSENT;

	int subscriptionIdentifierAvailable = PacketProperties.ABSENT;

	int sharedSubscriptionAvailable = PacketProperties.ABSENT;

	PacketPropertiesBuilder() {
	}

	public PacketPropertiesBuilder payloadFormatIndicator(int value) {
		this.payloadFormatIndicator = flag(value, "Payload Format Indicator");
		return this;
	}

	public PacketPropertiesBuilder messageExpiryInterval(long seconds) {
		this.messageExpiryInterval = fourBytes(seconds, "Message Expiry Interval");
		return this;
	}

	public PacketPropertiesBuilder contentType(String value) {
		this.contentType = value;
		return this;
	}

	public PacketPropertiesBuilder responseTopic(String value) {
		this.responseTopic = value;
		return this;
	}

	public PacketPropertiesBuilder correlationData(byte[] value) {
		this.correlationData = binary(value, "Correlation Data");
		return this;
	}

	/** Adds one, after those added before. */
	public PacketPropertiesBuilder subscriptionIdentifier(int value) {
		if (value < 1 || value > 268_435_455) {
			throw new IllegalArgumentException(
					"Subscription Identifier must be 1..268435455 [MQTT-3.8.2.1.2], was " + value);
		}
		if (this.subscriptionIdentifiers == null) {
			this.subscriptionIdentifiers = new ArrayList<>(1);
		}
		this.subscriptionIdentifiers.add(value);
		return this;
	}

	public PacketPropertiesBuilder sessionExpiryInterval(long seconds) {
		this.sessionExpiryInterval = fourBytes(seconds, "Session Expiry Interval");
		return this;
	}

	public PacketPropertiesBuilder assignedClientIdentifier(String value) {
		this.assignedClientIdentifier = value;
		return this;
	}

	public PacketPropertiesBuilder serverKeepAlive(int seconds) {
		this.serverKeepAlive = twoBytes(seconds, 0, "Server Keep Alive");
		return this;
	}

	public PacketPropertiesBuilder authenticationMethod(String value) {
		this.authenticationMethod = value;
		return this;
	}

	public PacketPropertiesBuilder authenticationData(byte[] value) {
		this.authenticationData = binary(value, "Authentication Data");
		return this;
	}

	public PacketPropertiesBuilder requestProblemInformation(int value) {
		this.requestProblemInformation = flag(value, "Request Problem Information");
		return this;
	}

	public PacketPropertiesBuilder willDelayInterval(long seconds) {
		this.willDelayInterval = fourBytes(seconds, "Will Delay Interval");
		return this;
	}

	public PacketPropertiesBuilder requestResponseInformation(int value) {
		this.requestResponseInformation = flag(value, "Request Response Information");
		return this;
	}

	public PacketPropertiesBuilder responseInformation(String value) {
		this.responseInformation = value;
		return this;
	}

	public PacketPropertiesBuilder serverReference(String value) {
		this.serverReference = value;
		return this;
	}

	public PacketPropertiesBuilder reasonString(String value) {
		this.reasonString = value;
		return this;
	}

	public PacketPropertiesBuilder receiveMaximum(int value) {
		this.receiveMaximum = twoBytes(value, 1, "Receive Maximum");
		return this;
	}

	public PacketPropertiesBuilder topicAliasMaximum(int value) {
		this.topicAliasMaximum = twoBytes(value, 0, "Topic Alias Maximum");
		return this;
	}

	public PacketPropertiesBuilder topicAlias(int value) {
		this.topicAlias = twoBytes(value, 1, "Topic Alias");
		return this;
	}

	public PacketPropertiesBuilder maximumQos(int value) {
		this.maximumQos = flag(value, "Maximum QoS");
		return this;
	}

	public PacketPropertiesBuilder retainAvailable(int value) {
		this.retainAvailable = flag(value, "Retain Available");
		return this;
	}

	/** Adds one, after those added before. */
	public PacketPropertiesBuilder userProperty(String name, String value) {
		if (this.userProperties == null) {
			this.userProperties = new ArrayList<>(2);
		}
		this.userProperties.add(new UserProperty(name, value));
		return this;
	}

	/** Adds them, after those added before. */
	public PacketPropertiesBuilder userProperties(List<UserProperty> properties) {
		if (!properties.isEmpty()) {
			if (this.userProperties == null) {
				this.userProperties = new ArrayList<>(properties.size());
			}
			this.userProperties.addAll(properties);
		}
		return this;
	}

	public PacketPropertiesBuilder maximumPacketSize(long value) {
		if (value != PacketProperties.ABSENT && (value < 1 || value > 0xFFFF_FFFFL)) {
			throw new IllegalArgumentException("Maximum Packet Size must be 1..4294967295, was " + value);
		}
		this.maximumPacketSize = value;
		return this;
	}

	public PacketPropertiesBuilder wildcardSubscriptionAvailable(int value) {
		this.wildcardSubscriptionAvailable = flag(value, "Wildcard Subscription Available");
		return this;
	}

	public PacketPropertiesBuilder subscriptionIdentifierAvailable(int value) {
		this.subscriptionIdentifierAvailable = flag(value, "Subscription Identifier Available");
		return this;
	}

	public PacketPropertiesBuilder sharedSubscriptionAvailable(int value) {
		this.sharedSubscriptionAvailable = flag(value, "Shared Subscription Available");
		return this;
	}

	/** The properties set, or {@link PacketProperties#NONE} when none is. */
	public PacketProperties build() {
		PacketProperties properties = new PacketProperties(this);
		return properties.equals(PacketProperties.NONE) ? PacketProperties.NONE : properties;
	}

	private static int flag(int value, String name) {
		if (value != PacketProperties.ABSENT && value != 0 && value != 1) {
			throw new IllegalArgumentException(name + " must be 0 or 1, was " + value);
		}
		return value;
	}

	private static int twoBytes(int value, int min, String name) {
		if (value != PacketProperties.ABSENT && (value < min || value > 65_535)) {
			throw new IllegalArgumentException(name + " must be " + min + "..65535, was " + value);
		}
		return value;
	}

	private static long fourBytes(long value, String name) {
		if (value != PacketProperties.ABSENT && (value < 0 || value > 0xFFFF_FFFFL)) {
			throw new IllegalArgumentException(name + " must be 0..4294967295 s, was " + value);
		}
		return value;
	}

	private static byte[] binary(byte[] value, String name) {
		if (value != null && value.length > 65_535) {
			throw new IllegalArgumentException(name + " is at most 65535 bytes, was " + value.length);
		}
		return value;
	}

}
