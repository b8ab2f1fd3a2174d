/**
 * Annotations for MQTT listener methods.
 */
@NullMarked
package io.umqtt.spring.annotation;

import org.jspecify.annotations.NullMarked;
