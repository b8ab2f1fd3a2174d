package io.umqtt.core.delivery;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.umqtt.core.MqttException;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/response on MQTT 5 (section 4.10 of the specification): a request is a PUBLISH
 * with the client's response topic and a correlation data of its own, and completes with
 * the first message to the response topic that carries that correlation data.
 * <p>
 * The response topic is one per client, made at the first request: under the server's
 * Response Information when it gave one, else {@code umqtt/reply/<client id>/<random>}.
 * It is subscribed (QoS 1) once, before the first request goes out; internal reconnection
 * renews it as every other subscription. Requests waiting for a reply are at most
 * {@value #MAX_PENDING}; each leaves the table when it completes, fails or times out.
 */
public final class Requester {

	/** The most requests waiting for a reply at once. */
	public static final int MAX_PENDING = 65_536;

	private static final Logger logger = LoggerFactory.getLogger(Requester.class);

	private static final SecureRandom random = new SecureRandom();

	private final ClientRuntime runtime;

	private final String clientId;

	private final Map<ByteBuffer, CompletableFuture<MqttMessage>> pending = new ConcurrentHashMap<>();

	/** Eight random bytes that begin every correlation data of this client. */
	private final long prefix = random.nextLong();

	private final AtomicLong sequence = new AtomicLong();

	private volatile String responseTopic;

	private CompletableFuture<Integer> subscribed;

	/**
	 * The request/response of an MQTT 5 client.
	 * @param runtime the client's runtime
	 * @param clientId the configured client identifier
	 */
	public Requester(ClientRuntime runtime, String clientId) {
		this.runtime = runtime;
		this.clientId = clientId;
	}

	/**
	 * Publishes a request and waits for its reply.
	 * @param topic the request's topic
	 * @param msg the payload
	 * @param qos the request's QoS
	 * @param props further properties; a response topic or correlation data of their own
	 * are replaced
	 * @param timeout how long to wait for the reply
	 * @return the reply; fails with {@link MqttException} when none came within
	 * {@code timeout} or the request could not be published
	 */
	public CompletableFuture<MqttMessage> request(String topic, byte[] msg, int qos, MqttProperties props,
			Duration timeout) {
		Objects.requireNonNull(timeout, "timeout");
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("The timeout must be positive: " + timeout);
		}
		CompletableFuture<MqttMessage> reply = new CompletableFuture<>();
		if (this.pending.size() >= MAX_PENDING) {
			reply.completeExceptionally(
					new MqttException(MAX_PENDING + " requests wait for their reply already; not sending another"));
			return reply;
		}
		ByteBuffer correlation = correlationData();
		this.pending.put(correlation, reply);
		// the timer goes with the request: a reply (or a failure) cancels it, so an
		// answered request holds nothing until its timeout would have passed
		CompletableFuture<Void> deadline = new CompletableFuture<>();
		deadline.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((ignored, expired) -> {
			if (expired != null && this.pending.remove(correlation, reply)) {
				reply.completeExceptionally(new MqttException(
						"No reply to the request to '" + topic + "' within " + timeout.toMillis() + " ms"));
			}
		});
		reply.whenComplete((message, failure) -> deadline.complete(null));
		MqttProperties properties = ((props != null) ? props.toBuilder() : MqttProperties.builder())
			.responseTopic(responseTopic())
			.correlationData(correlation.array())
			.build();
		subscribed().thenCompose((granted) -> this.runtime.publisher().publish(topic, msg, false, qos, properties))
			.whenComplete((done, failure) -> {
				if (failure != null && this.pending.remove(correlation, reply)) {
					Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
					reply.completeExceptionally((cause instanceof MqttException) ? cause
							: new MqttException("The request to '" + topic + "' failed: " + cause, cause));
				}
			});
		return reply;
	}

	/** The response topic, made at the first request; {@code null} before it. */
	public String responseTopicIfMade() {
		return this.responseTopic;
	}

	/** How many requests wait for a reply. */
	public int pending() {
		return this.pending.size();
	}

	private ByteBuffer correlationData() {
		return ByteBuffer.allocate(16).putLong(0, this.prefix).putLong(8, this.sequence.incrementAndGet());
	}

	private String responseTopic() {
		String topic = this.responseTopic;
		if (topic == null) {
			synchronized (this) {
				topic = this.responseTopic;
				if (topic == null) {
					topic = makeResponseTopic();
					this.responseTopic = topic;
				}
			}
		}
		return topic;
	}

	private String makeResponseTopic() {
		byte[] bytes = new byte[8];
		random.nextBytes(bytes);
		String unique = HexFormat.of().formatHex(bytes);
		String information = this.runtime.connection().serverLimits().responseInformation();
		if (information != null && !information.isEmpty() && information.indexOf('+') < 0
				&& information.indexOf('#') < 0) {
			return information + (information.endsWith("/") ? "" : "/") + unique;
		}
		String id = this.runtime.connection().assignedClientId();
		if (id == null || id.isEmpty()) {
			id = this.clientId;
		}
		String level = id.isEmpty() ? "client" : id.replace('+', '_').replace('#', '_').replace('/', '_');
		return "umqtt/reply/" + level + "/" + unique;
	}

	private synchronized CompletableFuture<Integer> subscribed() {
		CompletableFuture<Integer> subscribed = this.subscribed;
		if (subscribed == null || subscribed.isCompletedExceptionally()) {
			subscribed = this.runtime.subscribeAsync(responseTopic(), 1, this::onReply);
			this.subscribed = subscribed;
		}
		return subscribed;
	}

	private void onReply(MqttMessage message) {
		byte[] correlation = message.properties().correlationData();
		if (correlation == null) {
			logger.debug("A message to the response topic {} without correlation data; dropped", message.topic());
			return;
		}
		CompletableFuture<MqttMessage> reply = this.pending.remove(ByteBuffer.wrap(correlation));
		if (reply == null) {
			logger.debug("A reply on {} to no request waiting (late, or answered twice); dropped", message.topic());
			return;
		}
		reply.complete(message);
	}

}
