package io.umqtt.benchmarks.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.umqtt.benchmarks.load.Measurement;
import io.umqtt.benchmarks.load.NullBroker;
import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttTemplate;
import io.umqtt.spring.annotation.MqttSubscribe;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.annotation.ServiceActivator;
import org.springframework.integration.annotation.Transformer;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.json.JsonToObjectTransformer;
import org.springframework.integration.mqtt.core.DefaultMqttPahoClientFactory;
import org.springframework.integration.mqtt.event.MqttMessageDeliveredEvent;
import org.springframework.integration.mqtt.event.MqttSubscribedEvent;
import org.springframework.integration.mqtt.inbound.MqttPahoMessageDrivenChannelAdapter;
import org.springframework.integration.mqtt.inbound.Mqttv5PahoMessageDrivenChannelAdapter;
import org.springframework.integration.mqtt.outbound.MqttPahoMessageHandler;
import org.springframework.integration.mqtt.support.DefaultPahoMessageConverter;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.support.MessageBuilder;

/**
 * What a Spring user compares: one Spring Boot application shape on umqtt's starter
 * ({@code umqtt}: {@code @MqttSubscribe}, {@code MqttTemplate}) against the same
 * application on Spring Integration's MQTT adapters ({@code si-paho3}:
 * {@code MqttPahoMessageDrivenChannelAdapter} and the asynchronous
 * {@code MqttPahoMessageHandler}; {@code si-paho5}: the Paho v5 inbound adapter), each in
 * a JVM of its own; prints one JSON line of figures for this JVM's CPU and allocation
 * over the measured messages.
 * <ul>
 * <li>{@code in <umqtt|si-paho3|si-paho5> <bytes|json> <null-broker|mosquitto> <host> <port> <count> <warm-up>}:
 * receive QoS 1 into a listener method taking the payload as {@code byte[]}, or as a
 * {@link Reading} converted from JSON (umqtt: its message converter, Jackson; Spring
 * Integration: a {@code JsonToObjectTransformer} in front of the
 * {@code @ServiceActivator}, the integration's own idiom). Acknowledged after the method
 * returns on every side. From the null broker the messages arrive as fast as they are
 * acknowledged; through Mosquitto a child JVM publishes them from four umqtt clients
 * (fan-in), so its CPU is not counted here. Complete when the listener has every
 * message.</li>
 * <li>{@code out <umqtt|si-paho3> <broker-label> <host> <port> <qos> <count> <warm-up>}:
 * publish 64-byte {@code byte[]} payloads as fast as they go, at most 1,000
 * unacknowledged (umqtt: its in-flight window, {@code MqttTemplate.publish} futures;
 * Spring Integration: a semaphore released by {@code MqttMessageDeliveredEvent}, as its
 * asynchronous handler asks). Complete when every publish has completed (QoS 0:
 * written).</li>
 * <li>{@code feed <host> <port> <topic> <count> <bytes|json>}: the fan-in
 * publishers.</li>
 * </ul>
 * The null broker speaks MQTT 3.1.1 only, so the Paho v5 adapter runs through Mosquitto
 * only.
 */
public final class SpringRun {

	static final AtomicLong received = new AtomicLong();

	static final AtomicLong checksum = new AtomicLong();

	static volatile long warmup;

	static volatile long total;

	static final Measurement measurement = new Measurement();

	static final CountDownLatch done = new CountDownLatch(1);

	static final CountDownLatch subscribed = new CountDownLatch(1);

	private SpringRun() {
	}

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "in" -> inbound(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]),
					Integer.parseInt(args[6]), Integer.parseInt(args[7]));
			case "out" -> outbound(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
					Integer.parseInt(args[6]), Integer.parseInt(args[7]));
			case "feed" ->
				feed(args[1], Integer.parseInt(args[2]), args[3], Integer.parseInt(args[4]), args[5].equals("json"));
			default -> throw new IllegalArgumentException("Unknown mode " + args[0]);
		}
		System.exit(0);
	}

	private static void inbound(String impl, String payload, String source, String host, int port, int count,
			int warmupCount) throws Exception {
		warmup = warmupCount;
		total = warmupCount + (long) count;
		boolean json = payload.equals("json");
		boolean fromNullBroker = source.equals("null-broker");
		String topic = fromNullBroker ? ((json ? NullBroker.SOURCE_JSON : NullBroker.SOURCE) + total)
				: "bench/spring/" + ProcessHandle.current().pid();
		List<Class<?>> sources = new ArrayList<>();
		switch (impl) {
			case "umqtt" -> {
				sources.add(UmqttApplication.class);
				sources.add(json ? UmqttJsonListener.class : UmqttBytesListener.class);
			}
			case "si-paho3", "si-paho5" -> {
				sources.add(IntegrationApplication.class);
				sources.add(impl.equals("si-paho3") ? PahoV3Inbound.class : PahoV5Inbound.class);
				sources.add(json ? IntegrationJsonListener.class : IntegrationBytesListener.class);
			}
			default -> throw new IllegalArgumentException("Unknown inbound " + impl);
		}
		ConfigurableApplicationContext context = start(sources, properties(impl, host, port, topic));
		Process feed = null;
		try {
			if (impl.equals("umqtt")) {
				awaitUmqttSubscription(context.getBean(MqttClient.class), topic);
			}
			else if (!subscribed.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The adapter did not subscribe within 30 s");
			}
			if (!fromNullBroker) {
				feed = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
						SpringRun.class.getName(), "feed", host, Integer.toString(port), topic, Long.toString(total),
						payload)
					.inheritIO()
					.start();
			}
			if (!done.await(5, TimeUnit.MINUTES)) {
				throw new IllegalStateException("Received only " + received.get() + " of " + total);
			}
			String result = measurement.stop(impl + "-" + payload, source, 1, count,
					json ? NullBroker.JSON_PAYLOAD.length : 64);
			System.out.println(result.replace("{\"client\"", "{\"scenario\":\"spring-in\",\"client\""));
		}
		finally {
			if (feed != null) {
				feed.waitFor(1, TimeUnit.MINUTES);
				feed.destroyForcibly();
			}
			context.close();
		}
	}

	private static void outbound(String impl, String broker, String host, int port, int qos, int count, int warmupCount)
			throws Exception {
		String topic = "bench/spring-out/" + ProcessHandle.current().pid();
		byte[] payload = new byte[64];
		List<Class<?>> sources = switch (impl) {
			case "umqtt" -> List.of(UmqttApplication.class);
			case "si-paho3" -> List.of(IntegrationApplication.class, PahoV3Outbound.class);
			default -> throw new IllegalArgumentException("Unknown outbound " + impl);
		};
		Map<String, Object> properties = properties(impl, host, port, topic);
		properties.put("bench.qos", qos);
		ConfigurableApplicationContext context = start(sources, properties);
		try {
			Publisher publisher = impl.equals("umqtt") ? umqttPublisher(context.getBean(MqttTemplate.class), topic, qos)
					: integrationPublisher(context.getBean("mqttOut", MessageChannel.class));
			publisher.publish(payload, warmupCount);
			measurement.start();
			publisher.publish(payload, count);
			String result = measurement.stop(impl, broker, qos, count, payload.length);
			System.out.println(result.replace("{\"client\"", "{\"scenario\":\"spring-out\",\"client\""));
		}
		finally {
			context.close();
		}
	}

	/** Publishes {@code count} messages and returns once every one has completed. */
	interface Publisher {

		void publish(byte[] payload, int count) throws Exception;

	}

	private static Publisher umqttPublisher(MqttTemplate template, String topic, int qos) {
		return (payload, count) -> {
			CountDownLatch completed = new CountDownLatch(count);
			for (int i = 0; i < count; i++) {
				CompletableFuture<Void> sent = template.publish(topic, payload, qos, false);
				sent.whenComplete((ok, failure) -> {
					if (failure != null) {
						failure.printStackTrace();
					}
					completed.countDown();
				});
			}
			await(completed);
		};
	}

	private static Publisher integrationPublisher(MessageChannel channel) {
		return (payload, count) -> {
			CountDownLatch completed = new CountDownLatch(count);
			PahoV3Outbound.completed = completed;
			for (int i = 0; i < count; i++) {
				PahoV3Outbound.window.acquire();
				channel.send(MessageBuilder.withPayload(payload).build());
			}
			await(completed);
		};
	}

	/** Four umqtt clients publishing {@code count} messages between them at QoS 1. */
	private static void feed(String host, int port, String topic, int count, boolean json) throws Exception {
		byte[] payload = json ? NullBroker.JSON_PAYLOAD : new byte[64];
		List<MqttClient> clients = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			MqttClient client = MqttClient.builder("spring-feed-" + i + "-" + ProcessHandle.current().pid(), host)
				.port(port)
				.maxInflight(250)
				.publishTimeout(Duration.ofMinutes(5))
				.build();
			client.connect();
			clients.add(client);
			int share = count / 4 + ((i < count % 4) ? 1 : 0);
			Thread thread = new Thread(() -> {
				CountDownLatch completed = new CountDownLatch(share);
				for (int n = 0; n < share; n++) {
					client.publishAsync(topic, payload, false, 1).whenComplete((ok, failure) -> completed.countDown());
				}
				try {
					await(completed);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "spring-feed-" + i);
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		clients.forEach(MqttClient::disconnect);
	}

	/** Counts a message; starts measuring after the warm-up, stops at the last. */
	static void received(long value) {
		checksum.addAndGet(value);
		long n = received.incrementAndGet();
		if (n == warmup) {
			measurement.start();
		}
		else if (n == total) {
			done.countDown();
		}
	}

	private static Map<String, Object> properties(String impl, String host, int port, String topic) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.main.banner-mode", "off");
		properties.put("bench.host", host);
		properties.put("bench.port", port);
		properties.put("bench.topic", topic);
		properties.put("bench.client-id", "spring-" + impl + "-" + ProcessHandle.current().pid());
		if (impl.equals("umqtt")) {
			properties.put("umqtt.server", host);
			properties.put("umqtt.port", port);
			properties.put("umqtt.client-id", "spring-umqtt-" + ProcessHandle.current().pid());
			properties.put("umqtt.fail-fast", true);
			properties.put("umqtt.max-inflight", 1_000);
			properties.put("umqtt.publish-timeout", "5m");
		}
		else {
			// the Spring Integration application has no umqtt client
			properties.put("spring.autoconfigure.exclude",
					"io.umqtt.spring.boot.autoconfigure.UmqttAutoConfiguration,"
							+ "io.umqtt.spring.boot.autoconfigure.health.MqttHealthContributorAutoConfiguration,"
							+ "io.umqtt.spring.boot.autoconfigure.metrics.MqttMetricsAutoConfiguration");
		}
		return properties;
	}

	private static ConfigurableApplicationContext start(List<Class<?>> sources, Map<String, Object> properties) {
		SpringApplication application = new SpringApplication(sources.toArray(Class<?>[]::new));
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(properties);
		return application.run();
	}

	private static void awaitUmqttSubscription(MqttClient client, String topic) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!client.subscriptions().containsKey(topic)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The @MqttSubscribe listener did not subscribe within 30 s");
			}
			TimeUnit.MILLISECONDS.sleep(10);
		}
	}

	static void await(CountDownLatch latch) throws InterruptedException {
		if (!latch.await(5, TimeUnit.MINUTES)) {
			throw new IllegalStateException("Not complete after 5 minutes: " + latch.getCount() + " left");
		}
	}

	/**
	 * Paho v3 as Spring Integration's reference sets it up, with 1,000 in flight and no
	 * file persistence.
	 */
	static DefaultMqttPahoClientFactory pahoFactory(String host, int port) {
		DefaultMqttPahoClientFactory factory = new DefaultMqttPahoClientFactory();
		MqttConnectOptions options = new MqttConnectOptions();
		options.setServerURIs(new String[] { "tcp://" + host + ":" + port });
		options.setMaxInflight(1_000);
		factory.setConnectionOptions(options);
		factory.setPersistence(new MemoryPersistence());
		return factory;
	}

	private static String java() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	/** umqtt's starter, as an application uses it: auto-configuration only. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class UmqttApplication {

	}

	/**
	 * The application on Spring Integration: its annotations and Boot's
	 * auto-configuration.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableIntegration
	public static class IntegrationApplication {

		@Bean
		public MessageChannel mqttIn() {
			return new DirectChannel();
		}

		@Bean
		public ApplicationListener<MqttSubscribedEvent> subscribedListener() {
			return (event) -> subscribed.countDown();
		}

	}

	/** {@code @MqttSubscribe} taking the payload as it came. */
	public static class UmqttBytesListener {

		@MqttSubscribe(topics = "${bench.topic}", qos = 1)
		public void on(@Payload byte[] payload) {
			received(payload.length);
		}

	}

	/** {@code @MqttSubscribe} taking the payload as a record converted from JSON. */
	public static class UmqttJsonListener {

		@MqttSubscribe(topics = "${bench.topic}", qos = 1)
		public void on(@Payload Reading reading) {
			received(reading.sequence());
		}

	}

	/** The Paho v3 inbound adapter, as Spring Integration's reference sets it up. */
	public static class PahoV3Inbound {

		@Bean
		public DefaultMqttPahoClientFactory mqttClientFactory(@Value("${bench.host}") String host,
				@Value("${bench.port}") int port) {
			return pahoFactory(host, port);
		}

		@Bean
		public MqttPahoMessageDrivenChannelAdapter inbound(DefaultMqttPahoClientFactory factory,
				@Value("${bench.client-id}") String clientId, @Value("${bench.topic}") String topic) {
			MqttPahoMessageDrivenChannelAdapter adapter = new MqttPahoMessageDrivenChannelAdapter(clientId, factory,
					topic);
			adapter.setQos(1);
			DefaultPahoMessageConverter converter = new DefaultPahoMessageConverter();
			converter.setPayloadAsBytes(true);
			adapter.setConverter(converter);
			adapter.setOutputChannelName("mqttIn");
			return adapter;
		}

	}

	/** The Paho v5 inbound adapter; its payload type stays {@code byte[]}. */
	public static class PahoV5Inbound {

		@Bean
		public Mqttv5PahoMessageDrivenChannelAdapter inbound(@Value("${bench.host}") String host,
				@Value("${bench.port}") int port, @Value("${bench.client-id}") String clientId,
				@Value("${bench.topic}") String topic) {
			MqttConnectionOptions options = new MqttConnectionOptions();
			options.setServerURIs(new String[] { "tcp://" + host + ":" + port });
			options.setReceiveMaximum(1_000);
			Mqttv5PahoMessageDrivenChannelAdapter adapter = new Mqttv5PahoMessageDrivenChannelAdapter(options, clientId,
					topic);
			adapter.setQos(1);
			adapter.setPersistence(new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
			adapter.setOutputChannelName("mqttIn");
			return adapter;
		}

	}

	/** A service activator taking the payload as it came. */
	public static class IntegrationBytesListener {

		@ServiceActivator(inputChannel = "mqttIn")
		public void on(byte[] payload) {
			received(payload.length);
		}

	}

	/** JSON to a record in front of the service activator. */
	public static class IntegrationJsonListener {

		@Bean
		@Transformer(inputChannel = "mqttIn", outputChannel = "readings")
		public JsonToObjectTransformer readingTransformer() {
			return new JsonToObjectTransformer(Reading.class);
		}

		@Bean
		public MessageChannel readings() {
			return new DirectChannel();
		}

		@ServiceActivator(inputChannel = "readings")
		public void on(Reading reading) {
			received(reading.sequence());
		}

	}

	/**
	 * The asynchronous Paho v3 outbound handler behind a channel, bounded by its delivery
	 * events.
	 */
	public static class PahoV3Outbound {

		static final Semaphore window = new Semaphore(1_000);

		static volatile CountDownLatch completed;

		@Bean
		public DefaultMqttPahoClientFactory mqttClientFactory(@Value("${bench.host}") String host,
				@Value("${bench.port}") int port) {
			return pahoFactory(host, port);
		}

		@Bean
		public MessageChannel mqttOut() {
			return new DirectChannel();
		}

		@Bean
		@ServiceActivator(inputChannel = "mqttOut")
		public MessageHandler outbound(DefaultMqttPahoClientFactory factory,
				@Value("${bench.client-id}") String clientId, @Value("${bench.topic}") String topic,
				@Value("${bench.qos}") int qos) {
			MqttPahoMessageHandler handler = new MqttPahoMessageHandler(clientId, factory);
			handler.setAsync(true);
			handler.setAsyncEvents(true);
			handler.setDefaultTopic(topic);
			handler.setDefaultQos(qos);
			return handler;
		}

		@Bean
		public ApplicationListener<MqttMessageDeliveredEvent> deliveredListener() {
			return (event) -> {
				window.release();
				completed.countDown();
			};
		}

	}

}
