package io.umqtt.core.interop;

/**
 * The rows of the broker compatibility matrix, one per case of
 * {@link BrokerInteropSuite}.
 */
enum Feature {

	BASIC("basicPublishSubscribe", "publish / subscribe"),

	RETAINED("retainedMessageReachesALaterSubscriber", "retained messages"),

	WILL("lastWillIsPublishedWhenTheConnectionDrops", "last will"),

	OFFLINE_QUEUE("messagesAreQueuedForAnOfflinePersistentSession", "offline queueing (persistent session)"),

	OVERLAPPING("overlappingSubscriptionsDeliverTheMessageOnceOrPerFilter", "overlapping subscriptions"),

	KEEP_ALIVE("keepAliveHoldsAnIdleConnection", "keep-alive (2 s)"),

	REDELIVERY("unacknowledgedMessageIsRedeliveredOnReconnect", "redelivery on reconnect"),

	SUBSCRIBE_FAILURE("refusedSubscriptionFailsThatCallAndKeepsTheConnection", "subscribe failure (0x80)"),

	DOLLAR_TOPICS("wildcardsDoNotMatchDollarTopics", "`$` topics"),

	UNSUBSCRIBE("unsubscribedTopicIsNoLongerDelivered", "unsubscribe"),

	QOS_0_1("qos0And1RoundTrip", "QoS 0 and 1 round trip"),

	QOS_2("qos2RoundTrip", "QoS 2 round trip"),

	ORDERING("messagesOfOnePublisherArriveInOrder", "ordering (200 QoS 1)"),

	PAYLOAD_SIZES("payloadsOfEverySizeArriveWhole", "payload sizes (0 B to 256 KiB)"),

	UTF8_TOPICS("utf8TopicsRoundTrip", "UTF-8 topics"),

	MQTT_3_1("mqtt31ClientsConnectAndExchangeMessages", "MQTT 3.1");

	final String method;

	final String label;

	Feature(String method, String label) {
		this.method = method;
		this.label = label;
	}

	static Feature ofMethod(String method) {
		for (Feature feature : values()) {
			if (feature.method.equals(method)) {
				return feature;
			}
		}
		throw new IllegalArgumentException("No matrix row for test method " + method);
	}

}
