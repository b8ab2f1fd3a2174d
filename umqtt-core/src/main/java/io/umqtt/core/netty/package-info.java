/**
 * The transport on Netty: the channel pipeline, the shared event loops and keep-alive.
 * <p>
 * Internal: not an API. Its public types serve the other packages of umqtt-core and may
 * change in any release.
 */
@NullMarked
package io.umqtt.core.netty;

import org.jspecify.annotations.NullMarked;
