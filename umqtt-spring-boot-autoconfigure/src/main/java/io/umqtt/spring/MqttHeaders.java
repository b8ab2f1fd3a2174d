package io.umqtt.spring;

/**
 * Names of the spring-messaging headers umqtt sets on received messages and reads on sent
 * ones. The MQTT 5 ones ({@link #CONTENT_TYPE} to {@link #SUBSCRIPTION_IDENTIFIERS}) are
 * set on a received message only when it carries the property; on send they are mapped to
 * properties by the template's {@link MqttHeaderMapper}.
 */
public final class MqttHeaders {

	/** The topic a message was published to ({@code String}). */
	public static final String TOPIC = "mqtt_topic";

	/** The QoS it was delivered with, or to send with ({@code Integer}). */
	public static final String QOS = "mqtt_qos";

	/** Whether it is a retained message, or is to be retained ({@code Boolean}). */
	public static final String RETAINED = "mqtt_retained";

	/** Whether the broker marked it as a redelivery ({@code Boolean}). */
	public static final String DUPLICATE = "mqtt_duplicate";

	/** Its packet identifier, 0 for QoS 0 ({@code Integer}). */
	public static final String MESSAGE_ID = "mqtt_messageId";

	/** The name of the configured client that received it ({@code String}). */
	public static final String CLIENT = "mqtt_client";

	/**
	 * The values of the topic variables of the subscription that matched
	 * ({@code Map<String, String>}).
	 */
	public static final String TOPIC_VARIABLES = "mqtt_topicVariables";

	/**
	 * MQTT 5 Content Type ({@code String}). A received one is also Spring's
	 * {@link org.springframework.messaging.MessageHeaders#CONTENT_TYPE}, so message
	 * converters choose by it; on send, this header or else Spring's is sent.
	 */
	public static final String CONTENT_TYPE = "mqtt_contentType";

	/** MQTT 5 Response Topic ({@code String}). */
	public static final String RESPONSE_TOPIC = "mqtt_responseTopic";

	/**
	 * MQTT 5 Correlation Data ({@code byte[]}; on send a {@code String} is taken as
	 * UTF-8).
	 */
	public static final String CORRELATION_DATA = "mqtt_correlationData";

	/**
	 * MQTT 5 Message Expiry Interval ({@code java.time.Duration}, whole seconds; on send
	 * a {@code Number} is taken as seconds). On a received message it is what is left of
	 * the interval when the broker forwarded it.
	 */
	public static final String MESSAGE_EXPIRY = "mqtt_messageExpiry";

	/**
	 * MQTT 5 Payload Format Indicator: {@code true} when the payload is UTF-8 text
	 * ({@code Boolean}; absent on a received message that does not say so).
	 */
	public static final String PAYLOAD_FORMAT_UTF8 = "mqtt_payloadFormatUtf8";

	/**
	 * MQTT 5 user properties, all of them in wire order, names possibly repeated
	 * ({@code List<io.umqtt.core.UserProperty>}; on send a {@code Map<String, String>}
	 * too). A received user property is also a header of its own name, holding its first
	 * value, unless that name is already a header of the message.
	 */
	public static final String USER_PROPERTIES = "mqtt_userProperties";

	/**
	 * The identifiers of the subscriptions a received MQTT 5 message matched
	 * ({@code List<Integer>}); never sent.
	 */
	public static final String SUBSCRIPTION_IDENTIFIERS = "mqtt_subscriptionIdentifiers";

	private MqttHeaders() {
	}

}
