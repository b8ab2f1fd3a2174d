package io.umqtt.core.delivery;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.umqtt.core.MqttClientObserver;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttProperties;
import io.umqtt.core.ServerLimits;
import io.umqtt.core.codec.PublishProperties;
import io.umqtt.core.codec.WireFormat;
import io.umqtt.core.connection.Outbox;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.QoS;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.topic.LogSafe;
import io.umqtt.core.topic.TopicName;
import io.umqtt.core.topic.Utf8;

/**
 * The application's side of a publish: checks it (topic, QoS, MQTT 5 properties, the size
 * MQTT and {@code maxOutgoingPacketSize} allow) in the calling thread, tells the
 * observer, and hands the message to the {@link Outbox}, which owns everything after.
 * Thread-safe.
 */
public final class Publisher {

	private static final int MAX_TOPIC_OVERHEAD = 2 + 65_535 + 2;

	private final Outbox outbox;

	private final ApplicationEvents events;

	private final int maxOutgoingPacketSize;

	private final BooleanSupplier disconnected;

	/** Whether the client speaks MQTT 5, the only version with properties. */
	private final boolean mqtt5;

	/** What the MQTT 5 server announced in its last CONNACK. */
	private final Supplier<ServerLimits> serverLimits;

	/**
	 * Creates a new {@code Publisher}.
	 * @param outbox where messages go
	 * @param events whose observer is told
	 * @param maxOutgoingPacketSize the largest PUBLISH packet the broker accepts
	 * @param disconnected whether the client is disconnected (a publish then fails at
	 * once)
	 * @param mqtt5 whether the client speaks MQTT 5
	 * @param serverLimits what the MQTT 5 server announced, which a publish must stay
	 * within
	 */
	public Publisher(Outbox outbox, ApplicationEvents events, int maxOutgoingPacketSize, BooleanSupplier disconnected,
			boolean mqtt5, Supplier<ServerLimits> serverLimits) {
		this.outbox = outbox;
		this.events = events;
		this.maxOutgoingPacketSize = maxOutgoingPacketSize;
		this.disconnected = disconnected;
		this.mqtt5 = mqtt5;
		this.serverLimits = serverLimits;
	}

	/**
	 * Publishes without waiting for the broker; the caller waits only for room in the
	 * in-flight window and the queue to the network.
	 * @return completes when written (QoS 0), at PUBACK (QoS 1) or PUBCOMP (QoS 2); fails
	 * with {@link MqttException} otherwise
	 * @throws IllegalArgumentException for an invalid topic, QoS or oversized message
	 */
	public CompletableFuture<Void> publish(String topic, byte[] msg, boolean retain, int qos) {
		return publish(topic, msg, retain, qos, MqttProperties.NONE);
	}

	/**
	 * Publishes with MQTT 5 properties, as {@link #publish(String, byte[], boolean, int)}
	 * does.
	 * @param properties the message's properties, sent with it and with every resend
	 * @return as {@link #publish(String, byte[], boolean, int)}
	 * @throws IllegalArgumentException as there, and for properties on MQTT 3.1 or 3.1.1
	 * or properties a client may not send
	 */
	public CompletableFuture<Void> publish(String topic, byte[] msg, boolean retain, int qos,
			MqttProperties properties) {
		TopicName.check(topic);
		QoS.check(qos);
		Objects.requireNonNull(msg, "msg");
		Objects.requireNonNull(properties, "properties");
		if (!this.mqtt5 && !properties.isEmpty()) {
			throw new IllegalArgumentException("Message properties need MQTT 5: the client speaks 3.1.1 (version 4)"
					+ " or 3.1; build it with version(5)");
		}
		PacketProperties wire = MessageProperties.toPublish(properties);
		int propertiesSize = this.mqtt5 ? PublishProperties.encodedSize(topic, wire) : 0;
		checkSize(topic, msg.length, qos, propertiesSize);
		// the future returned is the message's completion, which cannot reach the message
		OutgoingMessage message = (wire == PacketProperties.NONE) ? new OutgoingMessage(topic, qos, retain, msg)
				: new OutgoingMessage(topic, qos, retain, msg, wire);
		String beyondServer = this.mqtt5 ? ServerLimitsCheck.problem(this.serverLimits.get(), topic, qos, retain,
				packetSize(topic, qos, propertiesSize, msg.length)) : null;
		MqttClientObserver watching = this.events.observer();
		if (watching != null) {
			watching.publishing(qos, msg.length);
			long start = System.nanoTime();
			message.completion().whenComplete((ignored, failure) -> {
				if (failure == null) {
					watching.published(qos, System.nanoTime() - start);
				}
				else {
					watching.publishFailed(qos);
				}
			});
		}
		if (this.disconnected.getAsBoolean()) {
			message.completion().completeExceptionally(new MqttException("The client is disconnected"));
			return message.completion();
		}
		if (beyondServer != null) {
			// nothing sent, the connection stays
			message.completion().completeExceptionally(new MqttException(beyondServer));
			return message.completion();
		}
		return this.outbox.offer(message);
	}

	private void checkSize(String topic, int payload, int qos, int propertiesSize) {
		if (payload > WireFormat.MAX_REMAINING_LENGTH - MAX_TOPIC_OVERHEAD - propertiesSize) {
			throw new IllegalArgumentException("Message of " + payload + " bytes is larger than MQTT allows");
		}
		if (this.maxOutgoingPacketSize <= WireFormat.MAX_REMAINING_LENGTH) {
			long packet = packetSize(topic, qos, propertiesSize, payload);
			if (packet > this.maxOutgoingPacketSize) {
				throw new IllegalArgumentException("PUBLISH to '" + LogSafe.topic(topic) + "' would be " + packet
						+ " bytes, over maxOutgoingPacketSize " + this.maxOutgoingPacketSize);
			}
		}
	}

	/** The PUBLISH's size: fixed header, topic, packet id, properties and payload. */
	private static long packetSize(String topic, int qos, int propertiesSize, int payload) {
		long remaining = 2L + Utf8.encodedLength(topic) + ((qos > 0) ? 2 : 0) + propertiesSize + payload;
		int lengthBytes = (remaining < 128) ? 1 : (remaining < 16_384) ? 2 : (remaining < 2_097_152) ? 3 : 4;
		return 1 + lengthBytes + remaining;
	}

}
