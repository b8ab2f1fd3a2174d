package io.umqtt.spring;

/**
 * Names of the spring-messaging headers umqtt sets on received messages and reads on sent
 * ones.
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

	private MqttHeaders() {
	}

}
