package io.umqtt.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class a running MQTT broker on loopback. Declare a parameter
 * of type {@link MqttBroker} on a test method, a lifecycle method or the constructor to
 * receive it.
 * <p>
 * One broker serves the whole class. A test that stops or kills it leaves it stopped only
 * for itself: the broker is started again, on the same port, before the next test.
 * Everything the extension started is stopped when the class ends, also when a test
 * failed or timed out.
 */
@Target({ ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MqttBrokerExtension.class)
public @interface MqttBrokerTest {

	/** Which broker to start. */
	BrokerKind kind() default BrokerKind.AUTO;

	/** User name clients must present; empty allows anonymous clients. */
	String username() default "";

	/** Password for {@link #username()}. */
	String password() default "";

	/** Open a TLS listener beside the plain one ({@link MqttBroker#tlsPort()}). */
	boolean tls() default false;

	/** Require a client certificate on the TLS listener (mutual TLS). */
	boolean requireClientCertificate() default false;

}
