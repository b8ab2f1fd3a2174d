/**
 * The embedded Moquette broker started when no {@code umqtt.server} is configured.
 */
package io.umqtt.spring.boot.autoconfigure.embedded;
