/**
 * Annotations for MQTT listener methods.
 */
package io.umqtt.spring.annotation;
