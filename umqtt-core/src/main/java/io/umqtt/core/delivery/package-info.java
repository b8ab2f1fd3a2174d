/**
 * The application side of a client: {@link io.umqtt.core.delivery.ClientRuntime} holds
 * the client's parts below the facade, from construction to {@code disconnect()}, checks
 * each operation and waits for the blocking ones ({@link io.umqtt.core.delivery.Await});
 * {@link io.umqtt.core.delivery.Publisher} checks a publish and hands it to the outbox;
 * the {@link io.umqtt.core.delivery.Dispatcher} hands received messages to routes,
 * listeners and the callback in the reading thread (or the dispatch thread) and
 * acknowledges them once handled; {@link io.umqtt.core.delivery.ApplicationEvents} runs
 * the error callback and the connection listeners on an event thread of their own, never
 * on the event loop.
 * <p>
 * Internal: not an API. Its public types serve {@link io.umqtt.core.MqttClient} and may
 * change in any release.
 */
@NullMarked
package io.umqtt.core.delivery;

import org.jspecify.annotations.NullMarked;
