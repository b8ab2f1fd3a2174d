package io.umqtt.core.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import io.umqtt.core.ErrorCallback;
import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import io.umqtt.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Every function of the reference {@code umqtt} module, and its two documented examples
 * written in Java, against a real broker.
 */
@MqttBrokerTest
class ReferenceApiIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@Test
	void constructorsApplyTheReferenceDefaults(MqttBroker broker) {
		MqttClient plain = this.clients.track(new MqttClient("defaults", broker.host()));
		assertThat(plain.port()).isEqualTo(1883);
		assertThat(plain.getMqttsta()).isEqualTo(-1);
		MqttClient tls = this.clients.track(MqttClient.builder("tls-default", broker.host()).ssl(true).build());
		assertThat(tls.port()).isEqualTo(8883);
		MqttClient explicit = this.clients.track(new MqttClient("explicit", broker.host(), broker.port()));
		assertThat(explicit.connect()).isZero();
		assertThat(explicit.getMqttsta()).isZero();
		assertThat(explicit.status()).isEqualTo(MqttStatus.CONNECTED);
	}

	@Test
	void setCallbackSubscribePublishWaitMsgCheckMsg(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "api");
		List<String> received = new CopyOnWriteArrayList<>();
		client.setCallback((topic, msg) -> received.add(topic + " " + new String(msg, StandardCharsets.UTF_8)));
		assertThat(client.connect()).isZero();
		assertThat(client.subscribe("api/+")).isZero();
		assertThat(client.subscribe("api/q1", 1)).isEqualTo(1);
		assertThat(client.publish("api/q0", "zero")).isTrue();
		client.waitMsg();
		assertThat(received).containsExactly("api/q0 zero");
		assertThat(client.publish("api/q1", "one", false, 1)).isTrue();
		// checkMsg never blocks: it delivers what has arrived, so wait until something
		// has
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			client.checkMsg();
			return received.size() >= 2;
		});
		// api/q1 matches both filters: a broker may send it once, or once per
		// subscription
		assertThat(received.subList(1, received.size())).allMatch((line) -> line.equals("api/q1 one"));
		client.checkMsg();
	}

	@Test
	void checkMsgReturnsAtOnceWhenNothingArrived(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "idle");
		client.connect();
		AtomicInteger calls = new AtomicInteger();
		client.setCallback((topic, msg) -> calls.incrementAndGet());
		client.checkMsg();
		assertThat(calls).hasValue(0);
		assertThat(client.waitMsg(Duration.ofMillis(50))).isFalse();
	}

	@Test
	void pingIsAnsweredAndKeepsTheConnectionUp(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "ping", (b) -> b.keepalive(2));
		client.connect();
		for (int i = 0; i < 5; i++) {
			client.ping();
		}
		// keep-alive 2 s without any application traffic: still connected well past 1.5 x
		// keep-alive
		await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> client.getMqttsta() == 0);
	}

	@Test
	void disconnectIsFinalAndReportsMinusOne(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "final");
		client.connect();
		client.disconnect();
		assertThat(client.getMqttsta()).isEqualTo(-1);
		assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
			.withMessageContaining("disconnected");
		assertThat(client.publish("t", "after")).isFalse();
		assertThatExceptionOfType(MqttException.class).isThrownBy(client::waitMsg);
		client.disconnect();
	}

	@Test
	void closeDropsTheSocketAndConnectWorksAgain(MqttBroker broker) {
		MqttClient client = this.clients.make(broker, "close");
		Received received = new Received();
		client.setCallback(received);
		client.connect();
		client.close();
		assertThat(client.getMqttsta()).isEqualTo(-1);
		assertThat(client.connect()).isZero();
		client.subscribe("close/topic", 1);
		client.publish("close/topic", "again", false, 1);
		client.waitMsg(Duration.ofSeconds(5));
		assertThat(received.payloads()).containsExactly("again");
	}

	@Test
	void connectToAClosedPortFailsWithTheCause(MqttBroker broker) {
		int closedPort = io.umqtt.test.FreePort.find();
		MqttClient client = this.clients.track(MqttClient.builder(Clients.id("refused"), "127.0.0.1")
			.port(closedPort)
			.connectTimeout(Duration.ofSeconds(5))
			.build());
		assertThatExceptionOfType(MqttException.class).isThrownBy(client::connect)
			.withMessageContaining("127.0.0.1:" + closedPort)
			.satisfies((ex) -> assertThat(ex.returnCode()).isEqualTo(MqttException.NO_CODE));
		assertThat(client.getMqttsta()).isEqualTo(-1);
	}

	/**
	 * The reference's first example: connect, subscribe, publish, {@code wait_msg()}
	 * until the callback has run, disconnect.
	 */
	@Test
	void referenceExampleOne(MqttBroker broker) {
		AtomicInteger state = new AtomicInteger();
		List<String> log = new CopyOnWriteArrayList<>();
		MqttClient c = this.clients.track(new MqttClient(Clients.id("umqtt_client"), broker.host(), broker.port()));
		c.setCallback((topic, msg) -> {
			log.add("Subscribe Recv: Topic=" + topic + ",Msg=" + new String(msg, StandardCharsets.UTF_8));
			state.set(1);
		});
		c.connect();
		c.subscribe("/public/TEST/quecpython");
		c.publish("/public/TEST/quecpython", "my name is Quecpython!");
		while (true) {
			c.waitMsg();
			if (state.get() == 1) {
				break;
			}
		}
		c.disconnect();
		assertThat(log).containsExactly("Subscribe Recv: Topic=/public/TEST/quecpython,Msg=my name is Quecpython!");
		assertThat(c.getMqttsta()).isEqualTo(-1);
	}

	/**
	 * The reference's "MQTT reconnection after ungraceful disconnection" example with
	 * {@code reconn=False}: the error callback reconnects with {@code close()},
	 * {@code connect()} and {@code subscribe()}, and a listening thread keeps calling
	 * {@code wait_msg()}.
	 */
	@Test
	void referenceExternalReconnectionExample(MqttBroker broker) throws Exception {
		try (TcpProxy proxy = TcpProxy.to(broker)) {
			ExampleClient c = new ExampleClient(
					this.clients.track(MqttClient.builder(Clients.id("umqtt_client_753"), "127.0.0.1")
						.port(proxy.port())
						.reconn(false)
						.build()));
			List<String> messages = new CopyOnWriteArrayList<>();
			List<String> errors = new CopyOnWriteArrayList<>();
			c.setCallback((topic, msg) -> messages.add(new String(msg, StandardCharsets.UTF_8)));
			c.errorRegisterCb((error) -> {
				errors.add(error);
				c.reconnect();
			});
			c.connect();
			c.subscribe("/public/TEST/quecpython758", 0);
			c.publish("/public/TEST/quecpython758", "my name is Quecpython!", 0);
			Thread listener = c.loopForever();
			await().atMost(Duration.ofSeconds(10)).until(() -> messages.size() == 1);

			proxy.cutAll();
			await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
			await().atMost(Duration.ofSeconds(10)).until(() -> c.client.getMqttsta() == 0 && c.reconnects.get() == 1);
			c.publish("/public/TEST/quecpython758", "after reconnect", 0);
			await().atMost(Duration.ofSeconds(10)).until(() -> messages.contains("after reconnect"));
			assertThat(errors.get(0)).doesNotStartWith("reconnect_");
			c.disconnect();
			listener.join(5_000);
			assertThat(listener.isAlive()).isFalse();
		}
	}

	/** The example's {@code MqttClient} wrapper class, in Java. */
	static final class ExampleClient {

		final MqttClient client;

		final ReentrantLock lock = new ReentrantLock();

		final AtomicInteger reconnects = new AtomicInteger();

		volatile boolean taskEnable = true;

		volatile String topic;

		volatile int qos;

		ExampleClient(MqttClient client) {
			this.client = client;
		}

		void connect() {
			this.client.connect();
		}

		void setCallback(io.umqtt.core.MessageCallback callback) {
			this.client.setCallback(callback);
		}

		void errorRegisterCb(ErrorCallback callback) {
			this.client.errorRegisterCb(callback);
		}

		void subscribe(String topic, int qos) {
			this.topic = topic;
			this.qos = qos;
			this.client.subscribe(topic, qos);
		}

		void publish(String topic, String msg, int qos) {
			this.client.publish(topic, msg, false, qos);
		}

		void disconnect() {
			this.taskEnable = false;
			this.client.disconnect();
		}

		void reconnect() {
			if (!this.lock.tryLock()) {
				return;
			}
			try {
				this.client.close();
				for (int attempt = 0; attempt < 50; attempt++) {
					try {
						connect();
						if (this.topic != null) {
							this.client.subscribe(this.topic, this.qos);
						}
						this.reconnects.incrementAndGet();
						return;
					}
					catch (MqttException ex) {
						this.client.close();
					}
				}
			}
			finally {
				this.lock.unlock();
			}
		}

		Thread loopForever() {
			Thread thread = new Thread(() -> {
				while (this.taskEnable) {
					try {
						this.client.waitMsg();
					}
					catch (MqttException ex) {
						if (this.taskEnable && this.client.getMqttsta() != 0) {
							reconnect();
						}
					}
				}
			}, "example-listen");
			thread.setDaemon(true);
			thread.start();
			return thread;
		}

	}

}
