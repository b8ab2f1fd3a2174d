package io.umqtt.core.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.netty.buffer.ByteBufUtil;
import io.umqtt.core.AsyncMqttMessageListener;
import io.umqtt.core.MessageCallback;
import io.umqtt.core.MessageNotHandledException;
import io.umqtt.core.MqttClientObserver;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttMessage;
import io.umqtt.core.MqttMessageListener;
import io.umqtt.core.connection.InboundQueue;
import io.umqtt.core.connection.Inbox;
import io.umqtt.core.connection.Requests;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.packet.Subscription;
import io.umqtt.core.session.InboundDelivery;
import io.umqtt.core.topic.LogSafe;
import io.umqtt.core.topic.SubscriptionTree;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands received messages to the application, in the thread that reads them
 * ({@code waitMsg()}, {@code checkMsg()}, or the dispatch thread): the routes (filter to
 * listener), else the callback; acknowledges each once handled, never one nobody could
 * handle or a listener declined. A failing callback, {@link Error}s included, is logged
 * and delivery goes on. Thread-safe.
 */
public final class Dispatcher {

	private static final Logger logger = LoggerFactory.getLogger("io.umqtt.core.MqttClient");

	/** What {@link #dispatch} returns when nothing could take the message. */
	private static final Handed NOBODY = new Handed(null, 0);

	private final String clientId;

	private final Inbox inbox;

	private final InboundQueue queue;

	private final ApplicationEvents events;

	/**
	 * Whether the connection's session is clean: the broker does not keep it after the
	 * connection (on MQTT 5 a Session Expiry Interval of zero), so a message nobody
	 * handles is acknowledged.
	 */
	private final BooleanSupplier cleanSession;

	private final SubscriptionTree<MqttMessageListener> routes = new SubscriptionTree<>();

	private final Set<String> refused = ConcurrentHashMap.newKeySet();

	private final SubscriptionIds subscriptionIds = new SubscriptionIds();

	private volatile MessageCallback callback;

	private volatile MqttMessageListener messageListener;

	/**
	 * Messages that matched no listener while no callback was set, or that a listener
	 * declined.
	 */
	private final AtomicLong unhandled = new AtomicLong();

	/** Why messages can no longer be delivered, or {@code null} while they can. */
	private volatile String deliveryFailure;

	private volatile boolean stopped;

	private Thread thread;

	public Dispatcher(String clientId, Inbox inbox, ApplicationEvents events, BooleanSupplier cleanSession) {
		this.clientId = clientId;
		this.inbox = inbox;
		this.queue = inbox.queue();
		this.events = events;
		this.cleanSession = cleanSession;
	}

	/** Filter to listener, for messages the callback does not get. */
	public SubscriptionTree<MqttMessageListener> routes() {
		return this.routes;
	}

	public void callback(MessageCallback callback) {
		this.callback = callback;
		if (callback != null) {
			this.messageListener = null;
		}
	}

	public void callback(MqttMessageListener listener) {
		this.messageListener = listener;
		if (listener != null) {
			this.callback = null;
		}
	}

	/**
	 * The callback set, as a listener of whole messages (a topic-and-payload one
	 * adapted); {@code null} when none is set.
	 */
	public MqttMessageListener currentCallback() {
		MqttMessageListener listener = this.messageListener;
		if (listener != null) {
			return listener;
		}
		MessageCallback target = this.callback;
		return (target != null) ? (message) -> target.onMessage(message.topic(), message.payload()) : null;
	}

	public long unhandled() {
		return this.unhandled.get();
	}

	/** Why delivery stopped, or {@code null}. */
	public String deliveryFailure() {
		return this.deliveryFailure;
	}

	// ---- subscribing ----

	/**
	 * Subscribes through {@code requests}, routing the filter's messages to
	 * {@code listener} from now on (retained messages may come before the SUBACK) until
	 * the subscription fails.
	 * @param subscription the filter with its QoS and options
	 * @param properties the SUBSCRIBE's properties ({@link PacketProperties#NONE} on
	 * 3.1.1)
	 * @param mqtt5 whether the client speaks MQTT 5 (a refusal then names its reason)
	 * @return completes with the granted QoS; fails with {@link MqttException} (return
	 * code {@code 0x80}, on MQTT 5 the SUBACK's reason code) when refused
	 */
	public CompletableFuture<Integer> subscribe(Subscription subscription, PacketProperties properties, boolean mqtt5,
			@Nullable MqttMessageListener listener, Requests requests) {
		String topic = subscription.filter();
		if (listener != null) {
			this.routes.add(topic, listener);
		}
		CompletableFuture<SubAck> ack = requests.subscribe(List.of(subscription), properties);
		CompletableFuture<Integer> granted = ack
			.thenApply((answer) -> SubscribeChecks.granted(topic, answer.returnCodes().get(0), answer, mqtt5));
		granted.whenComplete((code, failure) -> {
			if (failure == null) {
				this.refused.remove(topic);
				return;
			}
			if (failure.getCause() instanceof MqttException refusal && refusal.returnCode() >= SubAck.FAILURE) {
				this.refused.add(topic);
			}
			if (listener != null) {
				this.routes.remove(topic, listener);
			}
			requests.abandonSubscribe(ack);
		});
		return granted;
	}

	/**
	 * What unsubscribing from {@code topic} changes in the routes: the listeners
	 * registered for it now go, run by the reader once the messages before the UNSUBACK
	 * have been delivered.
	 */
	public Runnable routeChangeFor(String topic) {
		List<MqttMessageListener> leaving = this.routes.registered(topic);
		return () -> {
			leaving.forEach((listener) -> this.routes.remove(topic, listener));
			this.subscriptionIds.forget(topic);
		};
	}

	/**
	 * The properties of a SUBSCRIBE to {@code topic} carrying the filter's own
	 * subscription identifier (MQTT 5, where the server supports them).
	 */
	public PacketProperties identified(String topic) {
		return PacketProperties.builder().subscriptionIdentifier(this.subscriptionIds.idFor(topic)).build();
	}

	/** A renewed subscription the broker refused. */
	public void refusedBy(String filter) {
		this.refused.add(filter);
	}

	/** The filters the broker refused and that were not granted since. */
	public Set<String> refused() {
		return Set.copyOf(this.refused);
	}

	// ---- reading ----

	/**
	 * Delivers every message that has arrived, without waiting, and runs the route
	 * changes that are due, also when no message is there.
	 */
	public void checkMsg() {
		int available = this.queue.size();
		for (int i = 0; i < available; i++) {
			InboundDelivery next = this.queue.poll();
			if (next == null) {
				break;
			}
			deliver(next);
		}
		this.queue.runRouteChanges();
		this.inbox.readerProgressed();
	}

	/**
	 * Waits up to {@code timeoutNanos} (negative: for ever) for a message and delivers
	 * it.
	 * @return whether one was delivered
	 * @throws MqttException when the connection was lost for good, or the client
	 * disconnected
	 */
	public boolean waitMsg(long timeoutNanos) {
		try {
			InboundDelivery next = this.queue.take(timeoutNanos);
			if (next == null) {
				return false;
			}
			deliver(next);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MqttException("Interrupted while waiting for a message", ex);
		}
		finally {
			this.inbox.readerProgressed();
		}
	}

	private void deliver(InboundDelivery delivery) {
		Publish publish = delivery.publish();
		Handed pending;
		try {
			byte[] payload;
			try {
				payload = ByteBufUtil.getBytes(publish.payload());
			}
			finally {
				publish.payload().release();
			}
			pending = dispatch(publish, payload);
		}
		catch (MessageNotHandledException ex) {
			declined(delivery, ex);
			return;
		}
		catch (Throwable ex) {
			// any failure of application code, Errors too: delivery goes on with the next
			// message
			logger.error("Message callback failed for a message on '{}' (QoS {}); the message is acknowledged",
					LogSafe.topic(publish.topic()), publish.qos(), ex);
			pending = null;
		}
		if (pending == null) {
			this.inbox.acknowledge(delivery);
			return;
		}
		if (pending == NOBODY) {
			unhandled(delivery);
			return;
		}
		int permits = pending.permits();
		// one callback per message: gives the asynchronous-delivery slots back and
		// acknowledges
		pending.done().whenComplete((ignored, failure) -> {
			this.inbox.releaseAsync(permits);
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			if (cause instanceof MessageNotHandledException declined) {
				declined(delivery, declined);
				return;
			}
			if (failure != null) {
				logger.error(
						"Asynchronous listener failed for a message on '{}' (QoS {}); the message is " + "acknowledged",
						LogSafe.topic(publish.topic()), publish.qos(), failure);
			}
			this.inbox.acknowledge(delivery);
		});
	}

	/**
	 * No listener matched and no callback is set. A QoS 1 or 2 message is left
	 * unacknowledged on a persistent session, for the broker to send again on the next
	 * connection; on a clean session the broker cannot, so it is acknowledged. Never
	 * silently: a warning and a count.
	 */
	private void unhandled(InboundDelivery delivery) {
		Publish publish = delivery.publish();
		boolean keep = publish.qos() > 0 && !this.cleanSession.getAsBoolean();
		this.unhandled.incrementAndGet();
		observeUnhandled(publish.qos(), !keep);
		if (publish.qos() == 0) {
			logger.debug("No listener or callback for a message on '{}' (QoS 0): dropped",
					LogSafe.topic(publish.topic()));
		}
		else if (keep) {
			logger.warn(
					"No listener or callback for a message on '{}' (QoS {}): left unacknowledged, so the "
							+ "broker sends it again on the next connection",
					LogSafe.topic(publish.topic()), publish.qos());
			delivery.markUnhandled();
		}
		else {
			logger.warn(
					"No listener or callback for a message on '{}' (QoS {}): acknowledged and dropped (clean "
							+ "session: the broker cannot send it again)",
					LogSafe.topic(publish.topic()), publish.qos());
		}
		this.inbox.acknowledge(delivery);
	}

	/**
	 * A listener {@linkplain MessageNotHandledException declined} the message: a QoS 1 or
	 * 2 one is never acknowledged, on any session; the messages after it still are.
	 */
	private void declined(InboundDelivery delivery, MessageNotHandledException reason) {
		Publish publish = delivery.publish();
		this.unhandled.incrementAndGet();
		observeUnhandled(publish.qos(), false);
		if (publish.qos() > 0) {
			logger.warn("A listener did not handle a message on '{}' (QoS {}): left unacknowledged ({})",
					LogSafe.topic(publish.topic()), publish.qos(), LogSafe.text(String.valueOf(reason.getMessage())));
			delivery.markUnhandled();
		}
		this.inbox.acknowledge(delivery);
	}

	/** Tells the observer; an observer that fails is logged and never stops delivery. */
	private void observeUnhandled(int qos, boolean acknowledged) {
		MqttClientObserver watching = this.events.observer();
		if (watching == null) {
			return;
		}
		try {
			watching.unhandled(qos, acknowledged);
		}
		catch (Throwable ex) {
			logger.error("Client observer of '{}' failed", this.clientId, ex);
		}
	}

	/**
	 * Hands the message to its listeners.
	 * @return when asynchronous listeners took it, what completes once they have handled
	 * it and the delivery slots they hold; {@link #NOBODY} when nothing could take it;
	 * otherwise {@code null}: handled already
	 */
	private Handed dispatch(Publish publish, byte[] payload) {
		if (!this.routes.isEmpty()) {
			// MQTT 5: the subscription identifiers name the filters; else match the topic
			List<MqttMessageListener> listeners = this.subscriptionIds
				.route(publish.properties().subscriptionIdentifiers(), this.routes);
			if (listeners == null) {
				listeners = this.routes.match(publish.topic());
			}
			if (listeners.size() == 1 && listeners.get(0) instanceof AsyncMqttMessageListener async) {
				// the usual case of one subscription: its completion is the message's
				return new Handed(handAsync(async, toMessage(publish, payload)), 1);
			}
			if (!listeners.isEmpty()) {
				return dispatchToAll(listeners, publish, toMessage(publish, payload));
			}
		}
		MqttMessageListener listener = this.messageListener;
		if (listener != null) {
			if (listener instanceof AsyncMqttMessageListener async) {
				return new Handed(handAsync(async, toMessage(publish, payload)), 1);
			}
			listener.onMessage(toMessage(publish, payload));
			return null;
		}
		MessageCallback target = this.callback;
		if (target == null) {
			return NOBODY;
		}
		target.onMessage(publish.topic(), payload);
		return null;
	}

	private Handed dispatchToAll(List<MqttMessageListener> listeners, Publish publish, MqttMessage message) {
		List<CompletableFuture<?>> handled = null;
		for (MqttMessageListener listener : listeners) {
			try {
				if (listener instanceof AsyncMqttMessageListener async) {
					CompletableFuture<?> taken = handAsync(async, message);
					if (handled == null) {
						handled = new ArrayList<>(listeners.size());
					}
					handled.add(taken);
				}
				else {
					listener.onMessage(message);
				}
			}
			catch (Throwable ex) {
				// one failing listener (Errors too) does not keep the message from the
				// others
				logger.error(
						"Message listener failed for a message on '{}' (QoS {}); the other listeners " + "still get it",
						LogSafe.topic(publish.topic()), publish.qos(), ex);
			}
		}
		return (handled != null)
				? new Handed(CompletableFuture.allOf(handled.toArray(new CompletableFuture<?>[0])), handled.size())
				: null;
	}

	/**
	 * Waits for room among outstanding asynchronous deliveries, then hands the message
	 * over; the slot taken is given back when what {@link #dispatch} returns completes.
	 */
	private CompletableFuture<?> handAsync(AsyncMqttMessageListener listener, MqttMessage message) {
		try {
			this.inbox.acquireAsync();
		}
		catch (InterruptedException ex) {
			// not handed over, so never acknowledged
			Thread.currentThread().interrupt();
			throw new MessageNotHandledException("interrupted while waiting for a slow listener");
		}
		try {
			return listener.onMessageAsync(message).toCompletableFuture();
		}
		catch (Throwable ex) {
			this.inbox.releaseAsync(1);
			throw ex;
		}
	}

	private static MqttMessage toMessage(Publish publish, byte[] payload) {
		return new MqttMessage(publish.topic(), payload, publish.qos(), publish.retain(), publish.dup(),
				publish.packetId(), MessageProperties.fromPublish(publish.properties()));
	}

	// ---- the dispatch thread ----

	/** Starts the dispatch thread, unless it runs already or delivery has stopped. */
	public synchronized void startThread() {
		if (this.thread != null || this.stopped) {
			return;
		}
		Thread started = new Thread(this::dispatchLoop, "umqtt-dispatch-" + this.clientId);
		started.setDaemon(true);
		this.thread = started;
		started.start();
	}

	/**
	 * Stops delivering: the dispatch thread ends at its next wait, and the caller may
	 * join it.
	 * @return the dispatch thread, or {@code null}
	 */
	public synchronized Thread stop() {
		this.stopped = true;
		return this.thread;
	}

	/**
	 * The dispatch thread's life: deliver until stopped. A failure of the callbacks never
	 * gets here (see {@link #deliver}); anything else that ends the loop is recorded, so
	 * that the status and {@code lastError()} say delivery has stopped.
	 */
	private void dispatchLoop() {
		Throwable ended = null;
		try {
			while (!this.stopped) {
				try {
					waitMsg(-1);
				}
				catch (MqttException ex) {
					if (!this.stopped) {
						logger.debug("Dispatch thread of '{}': {}", this.clientId, ex.getMessage());
					}
				}
				// an interrupt a listener left on this thread would make every later wait
				// fail at once
				if (Thread.interrupted() && !this.stopped) {
					logger.debug("Dispatch thread of '{}': interrupt cleared", this.clientId);
				}
			}
		}
		catch (Throwable ex) {
			ended = ex;
			throw ex;
		}
		finally {
			if (!this.stopped) {
				deliveryStopped(ended);
			}
		}
	}

	private void deliveryStopped(Throwable cause) {
		String text = "Message delivery stopped: the dispatch thread ended" + ((cause != null) ? " with " + cause : "");
		this.deliveryFailure = text;
		logger.error("Client '{}': {}", this.clientId, text);
		this.events.deliveryStopped(text);
	}

	/**
	 * Asynchronous listeners took a message: done when they have handled it, holding
	 * {@code permits} slots.
	 */
	private record Handed(CompletableFuture<?> done, int permits) {
	}

}
