/**
 * The MQTT session without I/O: packet identifiers, the QoS 1 and 2 flows both ways, the
 * in-flight window and what is resent when a session resumes.
 */
package io.umqtt.core.session;
