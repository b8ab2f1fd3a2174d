/**
 * The observation conventions of umqtt: {@code umqtt.publish} for template publishes and
 * {@code umqtt.listener} for listener invocations, used by {@code io.umqtt.spring} and its
 * listener package alike.
 */
package io.umqtt.spring.observation;
