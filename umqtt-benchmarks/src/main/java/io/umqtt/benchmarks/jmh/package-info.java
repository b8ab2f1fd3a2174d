/**
 * JMH micro-benchmarks of the codec and the session, with Netty's codec-mqtt beside them.
 */
package io.umqtt.benchmarks.jmh;
