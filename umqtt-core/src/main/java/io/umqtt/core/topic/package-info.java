/**
 * Topic names and filters: validation by the MQTT 3.1.1 rules, and matching of topics against
 * filters with {@code +} and {@code #}.
 */
package io.umqtt.core.topic;
