/** The broker compatibility matrix: one interop suite run against each broker. */
package io.umqtt.core.interop;
