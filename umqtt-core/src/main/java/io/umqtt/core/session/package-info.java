/**
 * The MQTT session without I/O: packet identifiers, the QoS 1 and 2 flows both ways, the
 * in-flight window and what is resent when a session resumes.
 * <p>
 * Internal, except {@link io.umqtt.core.session.SessionStore} (and its {@code State}),
 * which session stores implement: its other public types serve the other packages of
 * umqtt-core and may change in any release.
 */
@NullMarked
package io.umqtt.core.session;

import org.jspecify.annotations.NullMarked;
