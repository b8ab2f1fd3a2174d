/**
 * The application side of a client: the {@link io.umqtt.core.delivery.Dispatcher} hands
 * received messages to routes, listeners and the callback in the reading thread (or the
 * dispatch thread) and acknowledges them once handled; {@link io.umqtt.core.delivery.ApplicationEvents}
 * runs the error callback and the connection listeners on an event thread of their own, never on
 * the event loop.
 * <p>
 * Internal: not an API. Its public types serve {@link io.umqtt.core.MqttClient} and may change in
 * any release.
 */
@NullMarked
package io.umqtt.core.delivery;

import org.jspecify.annotations.NullMarked;
