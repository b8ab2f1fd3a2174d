/**
 * The observation conventions of umqtt: {@code umqtt.publish} for template publishes and
 * {@code umqtt.listener} for listener invocations, used by {@code io.umqtt.spring} and
 * its listener package alike.
 */
@NullMarked
package io.umqtt.spring.observation;

import org.jspecify.annotations.NullMarked;
