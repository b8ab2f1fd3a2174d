package io.umqtt.core.connection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.umqtt.core.MqttException;
import io.umqtt.core.ReasonCode;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PingReq;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.packet.Subscribe;
import io.umqtt.core.packet.Subscription;
import io.umqtt.core.packet.UnsubAck;
import io.umqtt.core.packet.Unsubscribe;
import io.umqtt.core.session.Session;

/**
 * What waits for an answer that is not a message's: SUBSCRIBE and UNSUBSCRIBE waiters
 * (kept with their route changes across reconnects; the session resends the requests),
 * and the waiters for the client to become idle. The public methods hop onto the event
 * loop; the rest runs on it.
 */
public final class Requests {

	private final ClientConfig config;

	private final EventLoop loop;

	private final Supplier<ConnectionState> state;

	private final Session session;

	private final ChannelWriter writer;

	private final Inbox inbox;

	private final ClientEvents events;

	/**
	 * Whether messages wait in the queue to the event loop (then the client is not idle).
	 */
	private final BooleanSupplier outboxWaiting;

	private final Map<Integer, CompletableFuture<SubAck>> subscribeWaiters = new HashMap<>();

	private final Map<Integer, CompletableFuture<Void>> unsubscribeWaiters = new HashMap<>();

	/** What each pending UNSUBSCRIBE changes in the routes once acknowledged. */
	private final Map<Integer, Runnable> routeChanges = new HashMap<>();

	private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();

	private final SessionOutputs outputs;

	Requests(ClientConfig config, EventLoop loop, Session session, ChannelWriter writer, SessionOutputs outputs,
			Inbox inbox, ClientEvents events, BooleanSupplier outboxWaiting, Supplier<ConnectionState> state) {
		this.outputs = outputs;
		this.config = config;
		this.loop = loop;
		this.state = state;
		this.session = session;
		this.writer = writer;
		this.inbox = inbox;
		this.events = events;
		this.outboxWaiting = outboxWaiting;
	}

	/**
	 * Subscribes; completes with the SUBACK (its return codes, on MQTT 5 its reason
	 * string too). Before the first connection (or while connecting) the request is kept
	 * and goes out with the connection, with internal reconnection on or off; once a
	 * connection is lost with reconnection off it fails at once, as the application
	 * reconnects and subscribes again itself.
	 * @param subscriptions the filters with their QoS and options
	 * @param properties the SUBSCRIBE's properties ({@link PacketProperties#NONE} on
	 * 3.1.1)
	 */
	public CompletableFuture<SubAck> subscribe(List<Subscription> subscriptions, PacketProperties properties) {
		CompletableFuture<SubAck> result = new CompletableFuture<>();
		this.loop.execute(() -> {
			ConnectionState now = this.state.get();
			if (now instanceof ConnectionState.Finished) {
				result.completeExceptionally(new MqttException("The client is disconnected"));
			}
			else if (!this.writer.attached() && !this.config.reconn() && !(now instanceof ConnectionState.Connecting)
					&& !(now instanceof ConnectionState.Idle)) {
				result.completeExceptionally(new MqttException("Not connected to " + this.config.address()));
			}
			else {
				subscribe(subscriptions, properties, result);
			}
		});
		return result;
	}

	/**
	 * Unsubscribes; {@code routeChange} is run by the reader of the inbound queue once
	 * the UNSUBACK has arrived and the messages received before it have been taken.
	 */
	public CompletableFuture<Void> unsubscribe(List<String> filters, Runnable routeChange) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		this.loop.execute(() -> {
			if (this.state.get() instanceof ConnectionState.Finished) {
				result.completeExceptionally(new MqttException("The client is disconnected"));
			}
			else {
				unsubscribe(filters, routeChange, result);
			}
		});
		return result;
	}

	/** The subscriptions the broker granted, filter to QoS; at once on the event loop. */
	public Map<String, Integer> subscriptions() {
		if (this.loop.inEventLoop()) {
			return this.session.subscriptions();
		}
		try {
			return this.loop.submit(this.session::subscriptions)
				.get(this.config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MqttException("Interrupted", ex);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new MqttException(ex.getCause().getMessage(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new MqttException("The client's event loop did not answer in time", ex);
		}
	}

	/** Forgets a waiter that gave up (timed out). */
	public void abandonSubscribe(CompletableFuture<SubAck> waiter) {
		this.loop.execute(() -> this.subscribeWaiters.values().remove(waiter));
	}

	private void subscribe(List<Subscription> subscriptions, PacketProperties properties,
			CompletableFuture<SubAck> result) {
		Subscribe subscribe = this.session.subscribe(subscriptions, properties, this.outputs.scratch());
		this.subscribeWaiters.put(subscribe.packetId(), result);
		send();
	}

	private void unsubscribe(List<String> filters, Runnable routeChange, CompletableFuture<Void> result) {
		Unsubscribe unsubscribe = this.session.unsubscribe(filters, this.outputs.scratch());
		this.unsubscribeWaiters.put(unsubscribe.packetId(), result);
		this.routeChanges.put(unsubscribe.packetId(), routeChange);
		send();
	}

	/**
	 * Sends the request the session just made, when connected; otherwise it goes on the
	 * next connection.
	 */
	private void send() {
		boolean connected = this.writer.attached();
		this.outputs.carryOut();
		if (connected) {
			this.writer.flush();
			this.inbox.awaitingAnswer();
		}
	}

	/**
	 * A SUBACK.
	 * @return a protocol violation that ends the connection, or {@code null}
	 */
	MqttException onSubAck(SubAck ack) {
		Subscribe pending = this.session.pendingSubscribe(ack.packetId());
		if (pending != null && pending.subscriptions().size() != ack.returnCodes().size()) {
			// one return code per topic filter, in order [MQTT-3.9.3-1]
			MqttException violation = new MqttException("Protocol violation: SUBACK for packet id " + ack.packetId()
					+ " carries " + ack.returnCodes().size() + " return codes for " + pending.subscriptions().size()
					+ " topic filters [MQTT-3.9.3-1]");
			CompletableFuture<SubAck> waiter = this.subscribeWaiters.remove(ack.packetId());
			if (waiter != null) {
				waiter.completeExceptionally(violation);
			}
			return violation;
		}
		this.session.onSubAck(ack, this.outputs.scratch());
		this.outputs.carryOut();
		return null;
	}

	/**
	 * A pending SUBSCRIBE was answered: its waiter gets the codes, or a renewal's
	 * refusals are told.
	 */
	void subscribed(Subscribe subscribe, SubAck ack) {
		CompletableFuture<SubAck> waiter = this.subscribeWaiters.remove(ack.packetId());
		if (waiter != null) {
			waiter.complete(ack);
			return;
		}
		List<Subscription> requested = subscribe.subscriptions();
		for (int i = 0; i < requested.size() && i < ack.returnCodes().size(); i++) {
			if (ack.returnCodes().get(i) >= SubAck.FAILURE) {
				this.events.subscriptionRefused(requested.get(i).filter());
			}
		}
	}

	void onUnsubAck(UnsubAck ack) {
		this.session.onUnsubAck(ack, this.outputs.scratch());
		this.outputs.carryOut();
	}

	/**
	 * A pending UNSUBSCRIBE was answered: its route change goes behind the messages
	 * before it. On MQTT 5 an UNSUBACK reason code of 0x80 or more fails the waiter with
	 * that code and keeps the routes, as the server keeps the subscription.
	 */
	void unsubscribed(Unsubscribe unsubscribe, UnsubAck ack) {
		Runnable change = this.routeChanges.remove(unsubscribe.packetId());
		int refusal = refusal(ack);
		if (refusal != ReasonCode.SUCCESS) {
			CompletableFuture<Void> waiter = this.unsubscribeWaiters.remove(unsubscribe.packetId());
			if (waiter != null) {
				String reason = ack.properties().reasonString();
				waiter.completeExceptionally(
						new MqttException(
								"The server refused the UNSUBSCRIBE: " + ReasonCode.describe(refusal, 11)
										+ ((reason != null) ? ": " + reason : ""),
								MqttException.NO_CODE, refusal, null));
			}
			return;
		}
		if (change != null) {
			// behind the messages that arrived before the UNSUBACK: they still reach the
			// routes
			this.inbox.queue().addRouteChange(change);
		}
		CompletableFuture<Void> waiter = this.unsubscribeWaiters.remove(unsubscribe.packetId());
		if (waiter != null) {
			waiter.complete(null);
		}
	}

	/** The first UNSUBACK reason code of 0x80 or more, else 0. */
	private static int refusal(UnsubAck ack) {
		for (int code : ack.reasonCodes()) {
			if (code >= ReasonCode.UNSPECIFIED_ERROR) {
				return code;
			}
		}
		return ReasonCode.SUCCESS;
	}

	/** The connection is lost for good: every request waiter fails. */
	void failWaiters(MqttException failure) {
		this.subscribeWaiters.values().forEach((waiter) -> waiter.completeExceptionally(failure));
		this.subscribeWaiters.clear();
		this.unsubscribeWaiters.values().forEach((waiter) -> waiter.completeExceptionally(failure));
		this.unsubscribeWaiters.clear();
	}

	/** The client is finished: requests fail, idle waiters are released. */
	void finish(MqttException failure) {
		failWaiters(failure);
		this.routeChanges.clear();
		this.idleWaiters.forEach((waiter) -> waiter.complete(null));
		this.idleWaiters.clear();
	}

	void whenIdle(CompletableFuture<Void> idle) {
		this.idleWaiters.add(idle);
		afterCompletion();
	}

	/** Completes the idle waiters when nothing is in flight or queued. */
	void afterCompletion() {
		if (!this.idleWaiters.isEmpty() && this.session.inflightCount() == 0 && this.session.queuedCount() == 0
				&& !this.outboxWaiting.getAsBoolean()) {
			this.idleWaiters.forEach((waiter) -> waiter.complete(null));
			this.idleWaiters.clear();
		}
	}

	/** Completes when nothing is in flight or queued. */
	public CompletableFuture<Void> whenIdle() {
		CompletableFuture<Void> idle = new CompletableFuture<>();
		this.loop.execute(() -> whenIdle(idle));
		return idle;
	}

	/** Sends PINGREQ now (the reference's {@code ping()}), when connected. */
	public void ping() {
		this.loop.execute(() -> {
			if (this.writer.attached()) {
				this.writer.writeNow(PingReq.INSTANCE);
				this.writer.pingSent();
				this.inbox.awaitingAnswer();
			}
		});
	}

	/** The keep-alive's PINGREQ on {@code ch}, if that is still the connected channel. */
	void ping(Channel ch) {
		if (ch == this.writer.channel() && ch.isActive()) {
			ch.writeAndFlush(PingReq.INSTANCE, ch.voidPromise());
			this.inbox.awaitingAnswer();
		}
	}

}
