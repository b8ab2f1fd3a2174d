/**
 * The transport on Netty: the channel pipeline, the shared event loops, keep-alive and
 * reconnect back-off.
 */
package io.umqtt.core.netty;
