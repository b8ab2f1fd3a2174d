package io.umqtt.spring.observation;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.umqtt.core.MqttProperties;
import org.jspecify.annotations.Nullable;

/**
 * umqtt's observation conventions, so that metrics and tracing see MQTT work with the
 * same names and keys wherever a Micrometer {@link ObservationRegistry} is present:
 * <ul>
 * <li>{@value #LISTENER}: one {@code @MqttSubscribe} method invocation. Low-cardinality
 * keys {@code umqtt.client}, {@code umqtt.listener.id}, {@code umqtt.subscription} (the
 * filter as written) and {@code umqtt.qos}; high-cardinality key {@code umqtt.topic}.
 * Contextual name {@code <subscription> receive}.</li>
 * <li>{@value #PUBLISH}: one {@code MqttTemplate} publish. Low-cardinality keys
 * {@code umqtt.client} and {@code umqtt.qos}; high-cardinality key {@code umqtt.topic}.
 * Contextual name {@code <topic> publish}.</li>
 * <li>{@value #REQUEST}: one {@code MqttTemplate} request on MQTT 5
 * ({@code sendAndReceive}), from its publish until its reply came or the wait ended. The
 * keys of {@value #PUBLISH}, and low-cardinality {@code umqtt.reply}: {@code received} or
 * {@code none} (no reply within the timeout). Contextual name
 * {@code <topic> request}.</li>
 * </ul>
 * With Spring Boot's observation support each becomes a timer of the same name, tagged by
 * the low-cardinality keys and by {@code error}. With a tracer, the publish is a producer
 * span ({@link MqttPublishContext}) that puts the trace context in the message's MQTT 5
 * user properties (a request too, so the listener that answers it is in its trace), and
 * the listener invocation a consumer span ({@link MqttReceiveContext}) that continues it:
 * one trace from publisher to listener, also across applications.
 */
public final class MqttObservations {

	/** The name of a listener invocation observation. */
	public static final String LISTENER = "umqtt.listener";

	/** The name of a template publish observation. */
	public static final String PUBLISH = "umqtt.publish";

	/** The name of a template request observation. */
	public static final String REQUEST = "umqtt.request";

	private MqttObservations() {
	}

	/** An observation, not yet started, of one listener invocation. */
	public static Observation listener(ObservationRegistry registry, String client, String listenerId,
			String subscription, int qos, String topic) {
		return listener(registry, client, listenerId, subscription, qos, topic, MqttProperties.NONE);
	}

	/**
	 * An observation, not yet started, of one listener invocation for a message with
	 * {@code properties}, from whose user properties a tracer takes the trace context.
	 */
	public static Observation listener(ObservationRegistry registry, String client, String listenerId,
			String subscription, int qos, String topic, MqttProperties properties) {
		return Observation.createNotStarted(LISTENER, () -> new MqttReceiveContext(properties), registry)
			.contextualName(subscription + " receive")
			.lowCardinalityKeyValues(KeyValues.of("umqtt.client", client, "umqtt.listener.id", listenerId,
					"umqtt.subscription", subscription, "umqtt.qos", Integer.toString(qos)))
			.highCardinalityKeyValue("umqtt.topic", topic);
	}

	/** An observation, not yet started, of one publish through a template. */
	public static Observation publish(ObservationRegistry registry, String client, int qos, String topic) {
		return publish(registry, client, qos, topic, null);
	}

	/**
	 * An observation, not yet started, of one publish through a template whose MQTT 5
	 * properties {@code properties} builds; a tracer adds the trace context to them when
	 * it starts.
	 * @param properties the properties being built, {@code null} on MQTT 3.1 and 3.1.1
	 */
	public static Observation publish(ObservationRegistry registry, String client, int qos, String topic,
			MqttProperties.@Nullable Builder properties) {
		return Observation.createNotStarted(PUBLISH, () -> new MqttPublishContext(properties), registry)
			.contextualName(topic + " publish")
			.lowCardinalityKeyValues(KeyValues.of("umqtt.client", client, "umqtt.qos", Integer.toString(qos)))
			.highCardinalityKeyValue("umqtt.topic", topic);
	}

	/**
	 * An observation, not yet started, of one request through a template, whose MQTT 5
	 * properties {@code properties} builds; a tracer adds the trace context to them when
	 * it starts. Its caller adds {@code umqtt.reply} before it stops it.
	 */
	public static Observation request(ObservationRegistry registry, String client, int qos, String topic,
			MqttProperties.Builder properties) {
		return Observation.createNotStarted(REQUEST, () -> new MqttPublishContext(properties), registry)
			.contextualName(topic + " request")
			.lowCardinalityKeyValues(KeyValues.of("umqtt.client", client, "umqtt.qos", Integer.toString(qos)))
			.highCardinalityKeyValue("umqtt.topic", topic);
	}

}
