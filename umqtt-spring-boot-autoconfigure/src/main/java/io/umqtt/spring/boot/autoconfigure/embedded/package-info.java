/**
 * The embedded Moquette broker started when no {@code umqtt.server} is configured.
 */
@NullMarked
package io.umqtt.spring.boot.autoconfigure.embedded;

import org.jspecify.annotations.NullMarked;
