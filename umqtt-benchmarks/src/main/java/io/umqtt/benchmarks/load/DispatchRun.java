package io.umqtt.benchmarks.load;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttMessageListener;
import io.umqtt.spring.annotation.MqttSubscribe;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;

/**
 * The cost of receiving a message: a plain {@code setCallback} listener on the core
 * client ({@code callback}) against an {@code @MqttSubscribe} method in a Spring Boot
 * application ({@code spring}: on the application task executor, the default;
 * {@code spring-serial}: on the client's dispatch thread,
 * {@code umqtt.listener.concurrent=false}), both taking the payload as {@code byte[]},
 * QoS 1. The null broker sends {@code warm-up + count} messages as fast as they are
 * acknowledged, so the receiver is the bottleneck; this JVM's CPU and allocation are
 * measured over the last {@code count}. Prints one JSON line.
 * <p>
 * {@code DispatchRun <callback|spring|spring-serial> <host> <port> <count> <warm-up>}
 */
public final class DispatchRun {

	static String topic;

	static final AtomicLong received = new AtomicLong();

	static volatile long warmup;

	static volatile long total;

	static final Measurement measurement = new Measurement();

	static final CountDownLatch done = new CountDownLatch(1);

	private DispatchRun() {
	}

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		String host = args[1];
		int port = Integer.parseInt(args[2]);
		int count = Integer.parseInt(args[3]);
		warmup = Long.parseLong(args[4]);
		total = warmup + count;
		// the null broker sends this many messages to a subscriber of this topic
		topic = NullBroker.SOURCE + total;
		AutoCloseable receiver = switch (mode) {
			case "callback" -> callback(host, port);
			case "spring" -> spring(host, port, true);
			case "spring-serial" -> spring(host, port, false);
			default -> throw new IllegalArgumentException("Unknown mode " + mode);
		};
		try {
			if (!done.await(3, TimeUnit.MINUTES)) {
				throw new IllegalStateException("Received only " + received.get() + " of " + total);
			}
			String result = measurement.stop(mode, "null-broker", 1, count, 64);
			System.out.println(result.replace("{\"client\"", "{\"scenario\":\"dispatch\",\"client\""));
		}
		finally {
			receiver.close();
		}
		System.exit(0);
	}

	/** Counts a message; starts measuring after the warm-up, stops at the last. */
	static void onMessage(byte[] payload) {
		long n = received.incrementAndGet();
		if (n == warmup) {
			measurement.start();
		}
		else if (n == total) {
			done.countDown();
		}
	}

	private static AutoCloseable callback(String host, int port) {
		MqttClient client = MqttClient.builder("dispatch-callback-" + ProcessHandle.current().pid(), host)
			.port(port)
			.dispatchThread(true)
			.build();
		client.setCallback((MqttMessageListener) (message) -> onMessage(message.payload()));
		client.connect();
		client.subscribe(topic, 1);
		return client::disconnect;
	}

	private static AutoCloseable spring(String host, int port, boolean concurrent) throws InterruptedException {
		SpringApplication application = new SpringApplication(DispatchApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("umqtt.server", host, "umqtt.port", port, "umqtt.client-id",
				"dispatch-spring-" + ProcessHandle.current().pid(), "dispatch.topic", topic, "spring.main.banner-mode",
				"off", "umqtt.fail-fast", true, "umqtt.listener.concurrent", concurrent));
		ConfigurableApplicationContext context = application.run();
		// the listener subscribes once the client is connected: wait for the SUBACK
		// before publishing
		MqttClient client = context.getBean(MqttClient.class);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!client.subscriptions().containsKey(topic)) {
			if (System.nanoTime() > deadline) {
				context.close();
				throw new IllegalStateException("The @MqttSubscribe listener did not subscribe within 30 s");
			}
			TimeUnit.MILLISECONDS.sleep(10);
		}
		return context::close;
	}

	/** The Spring Boot application: umqtt's auto-configuration and one listener. */
	@SpringBootApplication
	public static class DispatchApplication {

	}

	/** The listener, the way an application writes one. */
	@Component
	public static class Listener {

		@MqttSubscribe(topics = "${dispatch.topic}", qos = 1)
		public void on(@Payload byte[] payload) {
			onMessage(payload);
		}

	}

}
