/**
 * Spring Boot auto-configuration of umqtt: clients bound from {@code umqtt.*} properties,
 * {@code MqttTemplate}s, the {@code @MqttSubscribe} infrastructure and the embedded
 * broker default.
 */
@NullMarked
package io.umqtt.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
