/**
 * The event-loop side of a client: one {@link io.umqtt.core.connection.Connection} per
 * client (the packets read), its state as a
 * {@link io.umqtt.core.connection.ConnectionState}, its commands and connect attempts
 * ({@code Lifecycle}), the CONNECT/CONNACK exchange ({@code Handshake}), the way out
 * ({@link io.umqtt.core.connection.Outbox}: admission, queue, offline policy, outbound
 * flow control), the way in ({@link io.umqtt.core.connection.Inbox}: received messages,
 * their acknowledgements, read pause and resume), requests, reconnection and every write
 * ({@code ChannelWriter}).
 * <p>
 * Everything runs on the connection's event loop, without locks, except these thread-safe
 * entry points: the public methods of {@code Connection} (each hops onto the loop, or
 * reads a volatile), {@code Outbox.offer} and {@code Outbox.inflightCount},
 * {@code Inbox.acknowledge}, {@code Inbox.readerProgressed} and the asynchronous-delivery
 * slots, and the {@link io.umqtt.core.connection.InboundQueue} (the event loop adds,
 * readers take).
 * <p>
 * Internal: not an API. Its public types serve {@code io.umqtt.core} and
 * {@code io.umqtt.core.delivery} and may change in any release.
 */
@NullMarked
package io.umqtt.core.connection;

import org.jspecify.annotations.NullMarked;
