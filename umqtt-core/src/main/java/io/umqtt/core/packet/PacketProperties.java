package io.umqtt.core.packet;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.umqtt.core.UserProperty;

/**
 * The MQTT 5 properties of one packet, every identifier of the specification's table 2-4
 * (0x01 Payload Format Indicator … 0x2A Shared Subscription Available). Immutable;
 * {@link #NONE} has none and is what every packet carries on MQTT 3.1 and 3.1.1.
 * <p>
 * An absent property reads as {@code null} (strings, binary data) or {@link #ABSENT}
 * (numbers and flags); {@link #userProperties()} and {@link #subscriptionIdentifiers()}
 * are empty when absent and keep the wire order. Which packet may carry which property is
 * the codec's check; {@link PacketPropertiesBuilder} checks each value's range.
 */
public final class PacketProperties {

	/** What a numeric property reads as when it is absent. */
	public static final int ABSENT = -1;

	/** 0x01 Payload Format Indicator: a byte. */
	public static final int PAYLOAD_FORMAT_INDICATOR = 0x01;

	/** 0x02 Message Expiry Interval: four-byte integer. */
	public static final int MESSAGE_EXPIRY_INTERVAL = 0x02;

	/** 0x03 Content Type: UTF-8 string. */
	public static final int CONTENT_TYPE = 0x03;

	/** 0x08 Response Topic: UTF-8 string. */
	public static final int RESPONSE_TOPIC = 0x08;

	/** 0x09 Correlation Data: binary data. */
	public static final int CORRELATION_DATA = 0x09;

	/** 0x0B Subscription Identifier: variable byte integer. */
	public static final int SUBSCRIPTION_IDENTIFIER = 0x0B;

	/** 0x11 Session Expiry Interval: four-byte integer. */
	public static final int SESSION_EXPIRY_INTERVAL = 0x11;

	/** 0x12 Assigned Client Identifier: UTF-8 string. */
	public static final int ASSIGNED_CLIENT_IDENTIFIER = 0x12;

	/** 0x13 Server Keep Alive: two-byte integer. */
	public static final int SERVER_KEEP_ALIVE = 0x13;

	/** 0x15 Authentication Method: UTF-8 string. */
	public static final int AUTHENTICATION_METHOD = 0x15;

	/** 0x16 Authentication Data: binary data. */
	public static final int AUTHENTICATION_DATA = 0x16;

	/** 0x17 Request Problem Information: a byte. */
	public static final int REQUEST_PROBLEM_INFORMATION = 0x17;

	/** 0x18 Will Delay Interval: four-byte integer. */
	public static final int WILL_DELAY_INTERVAL = 0x18;

	/** 0x19 Request Response Information: a byte. */
	public static final int REQUEST_RESPONSE_INFORMATION = 0x19;

	/** 0x1A Response Information: UTF-8 string. */
	public static final int RESPONSE_INFORMATION = 0x1A;

	/** 0x1C Server Reference: UTF-8 string. */
	public static final int SERVER_REFERENCE = 0x1C;

	/** 0x1F Reason String: UTF-8 string. */
	public static final int REASON_STRING = 0x1F;

	/** 0x21 Receive Maximum: two-byte integer. */
	public static final int RECEIVE_MAXIMUM = 0x21;

	/** 0x22 Topic Alias Maximum: two-byte integer. */
	public static final int TOPIC_ALIAS_MAXIMUM = 0x22;

	/** 0x23 Topic Alias: two-byte integer. */
	public static final int TOPIC_ALIAS = 0x23;

	/** 0x24 Maximum QoS: a byte. */
	public static final int MAXIMUM_QOS = 0x24;

	/** 0x25 Retain Available: a byte. */
	public static final int RETAIN_AVAILABLE = 0x25;

	/** 0x26 User Property: UTF-8 string pair. */
	public static final int USER_PROPERTY = 0x26;

	/** 0x27 Maximum Packet Size: four-byte integer. */
	public static final int MAXIMUM_PACKET_SIZE = 0x27;

	/** 0x28 Wildcard Subscription Available: a byte. */
	public static final int WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28;

	/** 0x29 Subscription Identifier Available: a byte. */
	public static final int SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29;

	/** 0x2A Shared Subscription Available: a byte. */
	public static final int SHARED_SUBSCRIPTION_AVAILABLE = 0x2A;

	/** No properties. */
	public static final PacketProperties NONE = new PacketProperties(new PacketPropertiesBuilder());

	private final int payloadFormatIndicator;

	private final long messageExpiryInterval;

	private final String contentType;

	private final String responseTopic;

	private final byte[] correlationData;

	private final List<Integer> subscriptionIdentifiers;

	private final long sessionExpiryInterval;

	private final String assignedClientIdentifier;

	private final int serverKeepAlive;

	private final String authenticationMethod;

	private final byte[] authenticationData;

	private final int requestProblemInformation;

	private final long willDelayInterval;

	private final int requestResponseInformation;

	private final String responseInformation;

	private final String serverReference;

	private final String reasonString;

	private final int receiveMaximum;

	private final int topicAliasMaximum;

	private final int topicAlias;

	private final int maximumQos;

	private final int retainAvailable;

	private final List<UserProperty> userProperties;

	private final long maximumPacketSize;

	private final int wildcardSubscriptionAvailable;

	private final int subscriptionIdentifierAvailable;

	private final int sharedSubscriptionAvailable;

	PacketProperties(PacketPropertiesBuilder b) {
		this.payloadFormatIndicator = b.payloadFormatIndicator;
		this.messageExpiryInterval = b.messageExpiryInterval;
		this.contentType = b.contentType;
		this.responseTopic = b.responseTopic;
		this.correlationData = b.correlationData;
		this.subscriptionIdentifiers = (b.subscriptionIdentifiers != null) ? List.copyOf(b.subscriptionIdentifiers)
				: List.of();
		this.sessionExpiryInterval = b.sessionExpiryInterval;
		this.assignedClientIdentifier = b.assignedClientIdentifier;
		this.serverKeepAlive = b.serverKeepAlive;
		this.authenticationMethod = b.authenticationMethod;
		this.authenticationData = b.authenticationData;
		this.requestProblemInformation = b.requestProblemInformation;
		this.willDelayInterval = b.willDelayInterval;
		this.requestResponseInformation = b.requestResponseInformation;
		this.responseInformation = b.responseInformation;
		this.serverReference = b.serverReference;
		this.reasonString = b.reasonString;
		this.receiveMaximum = b.receiveMaximum;
		this.topicAliasMaximum = b.topicAliasMaximum;
		this.topicAlias = b.topicAlias;
		this.maximumQos = b.maximumQos;
		this.retainAvailable = b.retainAvailable;
		this.userProperties = (b.userProperties != null) ? List.copyOf(b.userProperties) : List.of();
		this.maximumPacketSize = b.maximumPacketSize;
		this.wildcardSubscriptionAvailable = b.wildcardSubscriptionAvailable;
		this.subscriptionIdentifierAvailable = b.subscriptionIdentifierAvailable;
		this.sharedSubscriptionAvailable = b.sharedSubscriptionAvailable;
	}

	/** A builder with nothing set. */
	public static PacketPropertiesBuilder builder() {
		return new PacketPropertiesBuilder();
	}

	/** A builder starting from these properties. */
	public PacketPropertiesBuilder toBuilder() {
		PacketPropertiesBuilder b = new PacketPropertiesBuilder();
		b.payloadFormatIndicator = this.payloadFormatIndicator;
		b.messageExpiryInterval = this.messageExpiryInterval;
		b.contentType = this.contentType;
		b.responseTopic = this.responseTopic;
		b.correlationData = this.correlationData;
		this.subscriptionIdentifiers.forEach(b::subscriptionIdentifier);
		b.sessionExpiryInterval = this.sessionExpiryInterval;
		b.assignedClientIdentifier = this.assignedClientIdentifier;
		b.serverKeepAlive = this.serverKeepAlive;
		b.authenticationMethod = this.authenticationMethod;
		b.authenticationData = this.authenticationData;
		b.requestProblemInformation = this.requestProblemInformation;
		b.willDelayInterval = this.willDelayInterval;
		b.requestResponseInformation = this.requestResponseInformation;
		b.responseInformation = this.responseInformation;
		b.serverReference = this.serverReference;
		b.reasonString = this.reasonString;
		b.receiveMaximum = this.receiveMaximum;
		b.topicAliasMaximum = this.topicAliasMaximum;
		b.topicAlias = this.topicAlias;
		b.maximumQos = this.maximumQos;
		b.retainAvailable = this.retainAvailable;
		b.userProperties(this.userProperties);
		b.maximumPacketSize = this.maximumPacketSize;
		b.wildcardSubscriptionAvailable = this.wildcardSubscriptionAvailable;
		b.subscriptionIdentifierAvailable = this.subscriptionIdentifierAvailable;
		b.sharedSubscriptionAvailable = this.sharedSubscriptionAvailable;
		return b;
	}

	/** Whether no property is set. */
	public boolean isEmpty() {
		return this == NONE || this.equals(NONE);
	}

	/** 0x01: 0 unspecified bytes, 1 UTF-8, or {@link #ABSENT}. */
	public int payloadFormatIndicator() {
		return this.payloadFormatIndicator;
	}

	/** 0x02: seconds, 0 to 4,294,967,295, or {@link #ABSENT}. */
	public long messageExpiryInterval() {
		return this.messageExpiryInterval;
	}

	/** 0x03, or {@code null}. */
	public String contentType() {
		return this.contentType;
	}

	/** 0x08, or {@code null}. */
	public String responseTopic() {
		return this.responseTopic;
	}

	/** 0x09, the array itself (do not modify it), or {@code null}. */
	public byte[] correlationData() {
		return this.correlationData;
	}

	/**
	 * 0x0B, in wire order: more than one on a PUBLISH to a client, at most one on
	 * SUBSCRIBE.
	 */
	public List<Integer> subscriptionIdentifiers() {
		return this.subscriptionIdentifiers;
	}

	/** 0x11: seconds, 0 to 4,294,967,295 (0xFFFFFFFF: never), or {@link #ABSENT}. */
	public long sessionExpiryInterval() {
		return this.sessionExpiryInterval;
	}

	/** 0x12, or {@code null}. */
	public String assignedClientIdentifier() {
		return this.assignedClientIdentifier;
	}

	/** 0x13: seconds, 0 to 65,535, or {@link #ABSENT}. */
	public int serverKeepAlive() {
		return this.serverKeepAlive;
	}

	/** 0x15, or {@code null}. */
	public String authenticationMethod() {
		return this.authenticationMethod;
	}

	/** 0x16, the array itself (do not modify it), or {@code null}. */
	public byte[] authenticationData() {
		return this.authenticationData;
	}

	/** 0x17: 0 or 1, or {@link #ABSENT}. */
	public int requestProblemInformation() {
		return this.requestProblemInformation;
	}

	/** 0x18: seconds, 0 to 4,294,967,295, or {@link #ABSENT}. */
	public long willDelayInterval() {
		return this.willDelayInterval;
	}

	/** 0x19: 0 or 1, or {@link #ABSENT}. */
	public int requestResponseInformation() {
		return this.requestResponseInformation;
	}

	/** 0x1A, or {@code null}. */
	public String responseInformation() {
		return this.responseInformation;
	}

	/** 0x1C, or {@code null}. */
	public String serverReference() {
		return this.serverReference;
	}

	/** 0x1F, or {@code null}. */
	public String reasonString() {
		return this.reasonString;
	}

	/** 0x21: 1 to 65,535, or {@link #ABSENT}. */
	public int receiveMaximum() {
		return this.receiveMaximum;
	}

	/** 0x22: 0 to 65,535, or {@link #ABSENT}. */
	public int topicAliasMaximum() {
		return this.topicAliasMaximum;
	}

	/** 0x23: 1 to 65,535, or {@link #ABSENT}. */
	public int topicAlias() {
		return this.topicAlias;
	}

	/** 0x24: 0 or 1, or {@link #ABSENT} (which means 2). */
	public int maximumQos() {
		return this.maximumQos;
	}

	/** 0x25: 0 or 1, or {@link #ABSENT}. */
	public int retainAvailable() {
		return this.retainAvailable;
	}

	/** 0x26, in wire order, names possibly repeated. */
	public List<UserProperty> userProperties() {
		return this.userProperties;
	}

	/** 0x27: 1 to 4,294,967,295 bytes, or {@link #ABSENT}. */
	public long maximumPacketSize() {
		return this.maximumPacketSize;
	}

	/** 0x28: 0 or 1, or {@link #ABSENT}. */
	public int wildcardSubscriptionAvailable() {
		return this.wildcardSubscriptionAvailable;
	}

	/** 0x29: 0 or 1, or {@link #ABSENT}. */
	public int subscriptionIdentifierAvailable() {
		return this.subscriptionIdentifierAvailable;
	}

	/** 0x2A: 0 or 1, or {@link #ABSENT}. */
	public int sharedSubscriptionAvailable() {
		return this.sharedSubscriptionAvailable;
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		return other instanceof PacketProperties that && this.payloadFormatIndicator == that.payloadFormatIndicator
				&& this.messageExpiryInterval == that.messageExpiryInterval
				&& Objects.equals(this.contentType, that.contentType)
				&& Objects.equals(this.responseTopic, that.responseTopic)
				&& bytesEqual(this.correlationData, that.correlationData)
				&& this.subscriptionIdentifiers.equals(that.subscriptionIdentifiers)
				&& this.sessionExpiryInterval == that.sessionExpiryInterval
				&& Objects.equals(this.assignedClientIdentifier, that.assignedClientIdentifier)
				&& this.serverKeepAlive == that.serverKeepAlive
				&& Objects.equals(this.authenticationMethod, that.authenticationMethod)
				&& bytesEqual(this.authenticationData, that.authenticationData)
				&& this.requestProblemInformation == that.requestProblemInformation
				&& this.willDelayInterval == that.willDelayInterval
				&& this.requestResponseInformation == that.requestResponseInformation
				&& Objects.equals(this.responseInformation, that.responseInformation)
				&& Objects.equals(this.serverReference, that.serverReference)
				&& Objects.equals(this.reasonString, that.reasonString) && this.receiveMaximum == that.receiveMaximum
				&& this.topicAliasMaximum == that.topicAliasMaximum && this.topicAlias == that.topicAlias
				&& this.maximumQos == that.maximumQos && this.retainAvailable == that.retainAvailable
				&& this.userProperties.equals(that.userProperties) && this.maximumPacketSize == that.maximumPacketSize
				&& this.wildcardSubscriptionAvailable == that.wildcardSubscriptionAvailable
				&& this.subscriptionIdentifierAvailable == that.subscriptionIdentifierAvailable
				&& this.sharedSubscriptionAvailable == that.sharedSubscriptionAvailable;
	}

	/**
	 * {@link Arrays#equals(byte[], byte[])} without passing it a {@code null}: Jazzer's
	 * hook on it crashes the JVM when exactly one side is {@code null} (empty data
	 * against absent data).
	 */
	private static boolean bytesEqual(byte[] a, byte[] b) {
		return (a == null || b == null) ? a == b : Arrays.equals(a, b);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.payloadFormatIndicator, this.messageExpiryInterval, this.contentType,
				this.responseTopic, Arrays.hashCode(this.correlationData), this.subscriptionIdentifiers,
				this.sessionExpiryInterval, this.assignedClientIdentifier, this.serverKeepAlive,
				this.authenticationMethod, Arrays.hashCode(this.authenticationData), this.requestProblemInformation,
				this.willDelayInterval, this.requestResponseInformation, this.responseInformation, this.serverReference,
				this.reasonString, this.receiveMaximum, this.topicAliasMaximum, this.topicAlias, this.maximumQos,
				this.retainAvailable, this.userProperties, this.maximumPacketSize, this.wildcardSubscriptionAvailable,
				this.subscriptionIdentifierAvailable, this.sharedSubscriptionAvailable);
	}

	/** The properties present; binary data as its length, never its bytes. */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("Properties[");
		int start = text.length();
		number(text, "payloadFormat", this.payloadFormatIndicator);
		number(text, "messageExpiry", this.messageExpiryInterval);
		value(text, "contentType", this.contentType);
		value(text, "responseTopic", this.responseTopic);
		binary(text, "correlationData", this.correlationData);
		if (!this.subscriptionIdentifiers.isEmpty()) {
			value(text, "subscriptionIdentifiers", this.subscriptionIdentifiers);
		}
		number(text, "sessionExpiry", this.sessionExpiryInterval);
		value(text, "assignedClientId", this.assignedClientIdentifier);
		number(text, "serverKeepAlive", this.serverKeepAlive);
		value(text, "authenticationMethod", this.authenticationMethod);
		binary(text, "authenticationData", this.authenticationData);
		number(text, "requestProblemInformation", this.requestProblemInformation);
		number(text, "willDelay", this.willDelayInterval);
		number(text, "requestResponseInformation", this.requestResponseInformation);
		value(text, "responseInformation", this.responseInformation);
		value(text, "serverReference", this.serverReference);
		value(text, "reasonString", this.reasonString);
		number(text, "receiveMaximum", this.receiveMaximum);
		number(text, "topicAliasMaximum", this.topicAliasMaximum);
		number(text, "topicAlias", this.topicAlias);
		number(text, "maximumQos", this.maximumQos);
		number(text, "retainAvailable", this.retainAvailable);
		if (!this.userProperties.isEmpty()) {
			value(text, "userProperties", this.userProperties);
		}
		number(text, "maximumPacketSize", this.maximumPacketSize);
		number(text, "wildcardSubscriptionAvailable", this.wildcardSubscriptionAvailable);
		number(text, "subscriptionIdentifierAvailable", this.subscriptionIdentifierAvailable);
		number(text, "sharedSubscriptionAvailable", this.sharedSubscriptionAvailable);
		if (text.length() > start) {
			text.setLength(text.length() - 2);
		}
		return text.append(']').toString();
	}

	private static void number(StringBuilder text, String name, long value) {
		if (value != ABSENT) {
			text.append(name).append('=').append(value).append(", ");
		}
	}

	private static void value(StringBuilder text, String name, Object value) {
		if (value != null) {
			text.append(name).append('=').append(value).append(", ");
		}
	}

	private static void binary(StringBuilder text, String name, byte[] value) {
		if (value != null) {
			text.append(name).append('=').append(value.length).append(" bytes, ");
		}
	}

}
