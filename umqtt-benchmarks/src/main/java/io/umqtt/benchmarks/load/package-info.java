/**
 * The load benchmark: umqtt, Paho and the HiveMQ client side by side in one run, each in
 * a fresh JVM, against the same broker, with a raw socket publisher as the limit.
 */
package io.umqtt.benchmarks.load;
