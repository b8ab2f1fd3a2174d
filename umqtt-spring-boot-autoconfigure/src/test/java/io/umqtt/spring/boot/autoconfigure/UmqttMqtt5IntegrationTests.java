package io.umqtt.spring.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.umqtt.core.MqttClient;
import io.umqtt.core.UserProperty;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.boot.autoconfigure.health.MqttHealthContributorAutoConfiguration;
import io.umqtt.test.BrokerKind;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code umqtt.version: 5} end to end: the CONNECT the configured keys make (read by a
 * socket that only listens), and against Mosquitto 2.0 a connection on 5, the health
 * details, and a persistent session that outlives the application because of its session
 * expiry.
 */
class UmqttMqtt5IntegrationTests {

	@Test
	void theConnectCarriesTheConfiguredMqtt5Properties() throws Exception {
		try (ConnectCapture primary = new ConnectCapture(); ConnectCapture sensors = new ConnectCapture()) {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class))
				.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=" + primary.port(), "umqtt.client-id=s5-app",
						"umqtt.version=5", "umqtt.session-expiry=90", "umqtt.receive-maximum=10",
						"umqtt.topic-alias-maximum=5", "umqtt.request-response-information=true",
						"umqtt.user-properties.zone=eu", "umqtt.user-properties.app=orders",
						"umqtt.user-properties.[rack.id]=r7", "umqtt.clients.sensors.port=" + sensors.port(),
						"umqtt.clients.sensors.client-id=s5-sensors", "umqtt.clients.sensors.version=5",
						"umqtt.clients.sensors.session-expiry=1h", "umqtt.clients.sensors.user-properties.site=north")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					Connect connect = primary.connect();
					assertThat(connect.protocolLevel()).isEqualTo(5);
					assertThat(connect.clientId()).isEqualTo("s5-app");
					PacketProperties properties = connect.properties();
					assertThat(properties.sessionExpiryInterval()).isEqualTo(90);
					assertThat(properties.receiveMaximum()).isEqualTo(10);
					assertThat(properties.topicAliasMaximum()).isEqualTo(5);
					assertThat(properties.requestResponseInformation()).isEqualTo(1);
					assertThat(properties.userProperties()).containsExactly(new UserProperty("zone", "eu"),
							new UserProperty("app", "orders"), new UserProperty("rack.id", "r7"));
					Connect named = sensors.connect();
					assertThat(named.protocolLevel()).isEqualTo(5);
					assertThat(named.properties().sessionExpiryInterval()).isEqualTo(3600);
					assertThat(named.properties().receiveMaximum()).as("the protocol default: not sent")
						.isEqualTo(PacketProperties.ABSENT);
					assertThat(named.properties().userProperties()).containsExactly(new UserProperty("site", "north"));
				});
		}
	}

	@Nested
	@MqttBrokerTest(kind = BrokerKind.MOSQUITTO)
	class OnMosquitto {

		private ApplicationContextRunner runner(MqttBroker broker) {
			return new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class,
						MqttHealthContributorAutoConfiguration.class))
				.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port(), "umqtt.version=5");
		}

		@Test
		void connectsOnVersion5WithSessionExpiryAndUserProperties(MqttBroker broker) {
			String clientId = "s5-connect-" + System.nanoTime();
			runner(broker)
				.withPropertyValues("umqtt.client-id=" + clientId, "umqtt.session-expiry=5m",
						"umqtt.user-properties.app=orders")
				.run((context) -> {
					MqttClient client = context.getBean(MqttClient.class);
					HealthIndicator health = context.getBean("mqttHealthContributor", HealthIndicator.class);
					await().atMost(Duration.ofSeconds(15)).until(() -> health.health().getStatus().equals(Status.UP));
					assertThat(broker.log()).contains(clientId + " (p5, c1, k0");
					assertThat(health.health().getDetails()).containsEntry("version", 5)
						.containsEntry("clientId", clientId)
						.doesNotContainKey("assignedClientId");
					assertThat(client.publish("s5/connect", "on 5", false, 1)).isTrue();
				});
		}

		@Test
		void healthShowsTheClientIdTheServerAssigned(MqttBroker broker) {
			runner(broker).withPropertyValues("umqtt.client-id=").run((context) -> {
				MqttClient client = context.getBean(MqttClient.class);
				HealthIndicator health = context.getBean("mqttHealthContributor", HealthIndicator.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> health.health().getStatus().equals(Status.UP));
				String assigned = client.assignedClientId();
				assertThat(assigned).isNotBlank();
				assertThat(broker.log()).contains(assigned);
				assertThat(health.health().getDetails()).containsEntry("assignedClientId", assigned)
					.containsEntry("version", 5);
			});
		}

		@Test
		void aSessionWithSessionExpiryResumesAcrossAContextRestart(MqttBroker broker) throws Exception {
			String clientId = "s5-resume-" + System.nanoTime();
			String topic = "s5/resume/" + clientId;
			List<String> handled = new CopyOnWriteArrayList<>();
			Listening.sink = handled::add;
			ApplicationContextRunner app = runner(broker).withUserConfiguration(Listening.class)
				.withPropertyValues("umqtt.client-id=" + clientId, "umqtt.clean-session=false",
						"umqtt.session-expiry=5m", "umqtt.user-properties.app=orders", "s5.topic=" + topic);
			app.run((context) -> {
				MqttClient client = context.getBean(MqttClient.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> client.subscriptions().containsKey(topic));
			});
			// the application is down; its session (and subscription) stay at the broker
			MqttClient publisher = MqttClient.builder("s5-pub-" + System.nanoTime(), broker.host())
				.port(broker.port())
				.version(5)
				.build();
			try {
				publisher.connect();
				for (int i = 0; i < 3; i++) {
					assertThat(publisher.publish(topic, "while away " + i, false, 1)).isTrue();
				}
			}
			finally {
				publisher.disconnect();
			}
			assertThat(handled).isEmpty();
			app.run((context) -> {
				MqttClient client = context.getBean(MqttClient.class);
				await().atMost(Duration.ofSeconds(20))
					.untilAsserted(
							() -> assertThat(handled).containsExactly("while away 0", "while away 1", "while away 2"));
				assertThat(client.isSessionPresent()).isTrue();
				assertThat(client.unhandledMessages()).isZero();
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listening {

		static volatile java.util.function.Consumer<String> sink;

		@MqttSubscribe(topics = "${s5.topic}", qos = 1, id = "s5-listening")
		void on(String payload) {
			sink.accept(payload);
		}

	}

	/**
	 * A loopback socket that takes one connection and decodes the CONNECT sent on it,
	 * answering nothing.
	 */
	static final class ConnectCapture implements AutoCloseable {

		private final ServerSocket server;

		private final CompletableFuture<Connect> connect = new CompletableFuture<>();

		private final List<Socket> accepted = new CopyOnWriteArrayList<>();

		ConnectCapture() throws IOException {
			this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
			Thread reader = new Thread(this::read, "connect-capture-" + this.server.getLocalPort());
			reader.setDaemon(true);
			reader.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		Connect connect() throws Exception {
			return this.connect.get(20, TimeUnit.SECONDS);
		}

		private void read() {
			try {
				Socket socket = this.server.accept();
				this.accepted.add(socket);
				InputStream in = socket.getInputStream();
				PacketDecoder decoder = new PacketDecoder(PacketDecoder.DEFAULT_MAX_PACKET_SIZE, 5);
				ByteBuf buffer = Unpooled.buffer();
				byte[] chunk = new byte[1024];
				Packet packet = null;
				while (packet == null) {
					int read = in.read(chunk);
					if (read < 0) {
						throw new IOException("closed before a whole CONNECT arrived");
					}
					buffer.writeBytes(chunk, 0, read);
					packet = decoder.decode(buffer);
				}
				this.connect.complete((Connect) packet);
			}
			catch (IOException | RuntimeException ex) {
				this.connect.completeExceptionally(ex);
			}
		}

		@Override
		public void close() throws IOException {
			for (Socket socket : this.accepted) {
				socket.close();
			}
			this.server.close();
		}

	}

}
