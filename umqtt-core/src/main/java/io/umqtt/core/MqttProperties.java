package io.umqtt.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.umqtt.core.topic.TopicName;

/**
 * The MQTT 5 properties of an application message: those a publisher sets and a
 * subscriber receives. Immutable; {@link #NONE} has none, and is what every message has
 * on MQTT 3.1.1.
 * <p>
 * Getters return {@code null} when a property is absent ({@link #payloadFormatUtf8()}
 * returns {@code false}); {@link #userProperties()} keeps the wire order, and a name may
 * repeat. {@link #subscriptionIdentifiers()} is set on received messages only: the
 * identifiers of the subscriptions the message matched.
 */
public final class MqttProperties {

	/** The largest Message Expiry Interval, in seconds: a four-byte integer. */
	static final long MAX_EXPIRY_SECONDS = 0xFFFF_FFFFL;

	/** The largest subscription identifier, a variable byte integer. */
	static final int MAX_SUBSCRIPTION_IDENTIFIER = 268_435_455;

	/** No properties at all. */
	public static final MqttProperties NONE = new MqttProperties(new Builder());

	private final boolean payloadFormatUtf8;

	private final Duration messageExpiry;

	private final String contentType;

	private final String responseTopic;

	private final byte[] correlationData;

	private final List<UserProperty> userProperties;

	private final List<Integer> subscriptionIdentifiers;

	private MqttProperties(Builder builder) {
		this.payloadFormatUtf8 = builder.payloadFormatUtf8;
		this.messageExpiry = builder.messageExpiry;
		this.contentType = builder.contentType;
		this.responseTopic = builder.responseTopic;
		this.correlationData = builder.correlationData;
		this.userProperties = List.copyOf(builder.userProperties);
		this.subscriptionIdentifiers = List.copyOf(builder.subscriptionIdentifiers);
	}

	/** A builder with no properties set. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Whether the payload is UTF-8 text (Payload Format Indicator 1); {@code false} when
	 * unspecified.
	 */
	public boolean payloadFormatUtf8() {
		return this.payloadFormatUtf8;
	}

	/**
	 * The Message Expiry Interval, whole seconds, or {@code null} when the message does
	 * not expire.
	 */
	public Duration messageExpiry() {
		return this.messageExpiry;
	}

	/** The Content Type (e.g. a MIME type), or {@code null}. */
	public String contentType() {
		return this.contentType;
	}

	/** The Response Topic, a topic name, or {@code null}. */
	public String responseTopic() {
		return this.responseTopic;
	}

	/** A copy of the Correlation Data, or {@code null}. */
	public byte[] correlationData() {
		return (this.correlationData != null) ? this.correlationData.clone() : null;
	}

	/**
	 * The user properties in wire order, names possibly repeated; empty when there are
	 * none.
	 */
	public List<UserProperty> userProperties() {
		return this.userProperties;
	}

	/**
	 * The identifiers of the subscriptions a received message matched; empty otherwise.
	 */
	public List<Integer> subscriptionIdentifiers() {
		return this.subscriptionIdentifiers;
	}

	/** Whether no property is set. */
	public boolean isEmpty() {
		return this.equals(NONE);
	}

	/** A builder starting from these properties. */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.payloadFormatUtf8 = this.payloadFormatUtf8;
		builder.messageExpiry = this.messageExpiry;
		builder.contentType = this.contentType;
		builder.responseTopic = this.responseTopic;
		builder.correlationData = this.correlationData;
		builder.userProperties.addAll(this.userProperties);
		builder.subscriptionIdentifiers.addAll(this.subscriptionIdentifiers);
		return builder;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof MqttProperties that && this.payloadFormatUtf8 == that.payloadFormatUtf8
				&& Objects.equals(this.messageExpiry, that.messageExpiry)
				&& Objects.equals(this.contentType, that.contentType)
				&& Objects.equals(this.responseTopic, that.responseTopic)
				&& ((this.correlationData == null || that.correlationData == null)
						? this.correlationData == that.correlationData
						: Arrays.equals(this.correlationData, that.correlationData))
				&& this.userProperties.equals(that.userProperties)
				&& this.subscriptionIdentifiers.equals(that.subscriptionIdentifiers);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.payloadFormatUtf8, this.messageExpiry, this.contentType, this.responseTopic,
				Arrays.hashCode(this.correlationData), this.userProperties, this.subscriptionIdentifiers);
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("MqttProperties[");
		int length = text.length();
		if (this.payloadFormatUtf8) {
			text.append("payloadFormatUtf8, ");
		}
		append(text, "messageExpiry", this.messageExpiry);
		append(text, "contentType", this.contentType);
		append(text, "responseTopic", this.responseTopic);
		append(text, "correlationData", (this.correlationData != null) ? this.correlationData.length + " bytes" : null);
		if (!this.userProperties.isEmpty()) {
			append(text, "userProperties", this.userProperties);
		}
		if (!this.subscriptionIdentifiers.isEmpty()) {
			append(text, "subscriptionIdentifiers", this.subscriptionIdentifiers);
		}
		if (text.length() > length) {
			text.setLength(text.length() - 2);
		}
		return text.append(']').toString();
	}

	private static void append(StringBuilder text, String name, Object value) {
		if (value != null) {
			text.append(name).append('=').append(value).append(", ");
		}
	}

	/**
	 * Builds {@link MqttProperties}; each setter checks its value against the protocol's
	 * rules.
	 */
	public static final class Builder {

		private boolean payloadFormatUtf8;

		private Duration messageExpiry;

		private String contentType;

		private String responseTopic;

		private byte[] correlationData;

		private final List<UserProperty> userProperties = new ArrayList<>();

		private final List<Integer> subscriptionIdentifiers = new ArrayList<>();

		private Builder() {
		}

		/**
		 * Marks the payload as UTF-8 text (Payload Format Indicator 1), or unspecified
		 * bytes.
		 * @param utf8 whether the payload is UTF-8
		 * @return this builder
		 */
		public Builder payloadFormatUtf8(boolean utf8) {
			this.payloadFormatUtf8 = utf8;
			return this;
		}

		/**
		 * Sets the Message Expiry Interval, rounded up to whole seconds; {@code null} for
		 * none.
		 * @param expiry 0 to 4,294,967,295 seconds
		 * @return this builder
		 */
		public Builder messageExpiry(Duration expiry) {
			if (expiry == null) {
				this.messageExpiry = null;
				return this;
			}
			if (expiry.isNegative()) {
				throw new IllegalArgumentException("Message expiry must not be negative, was " + expiry);
			}
			long seconds = expiry.getSeconds() + ((expiry.getNano() > 0) ? 1 : 0);
			if (seconds > MAX_EXPIRY_SECONDS) {
				throw new IllegalArgumentException("Message expiry is at most 4294967295 s, was " + expiry);
			}
			this.messageExpiry = Duration.ofSeconds(seconds);
			return this;
		}

		/**
		 * Sets the Content Type; {@code null} for none.
		 * @param contentType e.g. {@code application/json}
		 * @return this builder
		 */
		public Builder contentType(String contentType) {
			this.contentType = (contentType != null) ? checkString(contentType, "content type") : null;
			return this;
		}

		/**
		 * Sets the Response Topic; {@code null} for none.
		 * @param responseTopic a topic name, no wildcards [MQTT-3.3.2-14]
		 * @return this builder
		 */
		public Builder responseTopic(String responseTopic) {
			this.responseTopic = (responseTopic != null) ? TopicName.check(responseTopic) : null;
			return this;
		}

		/**
		 * Sets the Correlation Data, copied; {@code null} for none.
		 * @param correlationData at most 65,535 bytes
		 * @return this builder
		 */
		public Builder correlationData(byte[] correlationData) {
			if (correlationData != null && correlationData.length > 65_535) {
				throw new IllegalArgumentException(
						"Correlation data is at most 65535 bytes, was " + correlationData.length);
			}
			this.correlationData = (correlationData != null) ? correlationData.clone() : null;
			return this;
		}

		/**
		 * Adds a user property after those added before; a name may be added more than
		 * once.
		 * @param name the name
		 * @param value the value
		 * @return this builder
		 */
		public Builder userProperty(String name, String value) {
			this.userProperties.add(new UserProperty(checkString(name, "user property name"),
					checkString(value, "user property value")));
			return this;
		}

		/**
		 * Adds the identifier of a subscription a received message matched. The client
		 * sets these on the messages it delivers; a client never sends one
		 * [MQTT-3.3.4-6].
		 * @param identifier 1 to 268,435,455
		 * @return this builder
		 */
		public Builder subscriptionIdentifier(int identifier) {
			if (identifier < 1 || identifier > MAX_SUBSCRIPTION_IDENTIFIER) {
				throw new IllegalArgumentException("Subscription identifier must be 1..268435455, was " + identifier);
			}
			this.subscriptionIdentifiers.add(identifier);
			return this;
		}

		/** The properties set so far. */
		public MqttProperties build() {
			return new MqttProperties(this);
		}

		private static String checkString(String value, String what) {
			int length = io.umqtt.core.topic.Utf8.encodedLength(Objects.requireNonNull(value, what));
			if (length < 0) {
				throw new IllegalArgumentException(what + " is not well-formed UTF-8 [MQTT-1.5.4-1]");
			}
			if (length > 65_535) {
				throw new IllegalArgumentException(what + " is " + length + " UTF-8 bytes, more than 65535");
			}
			if (value.indexOf('\0') >= 0) {
				throw new IllegalArgumentException(what + " must not contain U+0000 [MQTT-1.5.4-2]");
			}
			return value;
		}

	}

}
