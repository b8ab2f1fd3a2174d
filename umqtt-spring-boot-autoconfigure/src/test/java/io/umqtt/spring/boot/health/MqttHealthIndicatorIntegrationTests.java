package io.umqtt.spring.boot.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.umqtt.core.MqttClient;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.Disconnect;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.spring.annotation.MqttSubscribe;
import io.umqtt.spring.boot.autoconfigure.UmqttAutoConfiguration;
import io.umqtt.spring.boot.autoconfigure.health.MqttHealthContributorAutoConfiguration;
import io.umqtt.test.FreePort;
import io.umqtt.test.MqttBroker;
import io.umqtt.test.MqttBrokerTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the {@code mqtt} health details disclose: counts of subscriptions unless asked for
 * the filters, a last error without the user name or password, and on MQTT 5 the server's
 * last DISCONNECT by name and code.
 */
@MqttBrokerTest
class MqttHealthIndicatorIntegrationTests {

	private static final String FILTER = "tenants/acme/devices/+/telemetry";

	private ApplicationContextRunner runner(MqttBroker broker) {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(UmqttAutoConfiguration.class, MqttHealthContributorAutoConfiguration.class))
			.withPropertyValues("umqtt.server=" + broker.host(), "umqtt.port=" + broker.port());
	}

	@Test
	void detailsCountSubscriptionsWithoutListingTheFilters(MqttBroker broker) {
		runner(broker).run((context) -> {
			Map<String, Object> details = connectedAndSubscribed(context);
			assertThat(details).containsEntry("subscriptions", 1)
				.doesNotContainKey("subscriptionFilters")
				.containsKey("server");
			assertThat(details.toString()).doesNotContain("acme");
		});
	}

	@Test
	void showSubscriptionsListsTheFilters(MqttBroker broker) {
		runner(broker).withPropertyValues("management.health.mqtt.show-subscriptions=true").run((context) -> {
			Map<String, Object> details = connectedAndSubscribed(context);
			assertThat(details).containsEntry("subscriptions", 1)
				.containsEntry("subscriptionFilters", Map.of(FILTER, 1));
		});
	}

	@Test
	void theLastErrorHidesThePasswordAndKeepsTheRestReadable() {
		// nothing listens there: the error text names the port, which here is also the
		// password,
		// as a server's reason string could echo it; the user name is no secret and stays
		int closed = FreePort.find();
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(UmqttAutoConfiguration.class, MqttHealthContributorAutoConfiguration.class))
			.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=" + closed, "umqtt.user=device",
					"umqtt.password=" + closed, "umqtt.connect-timeout=5s")
			.run((context) -> {
				HealthIndicator health = context.getBean("mqttHealthContributor", HealthIndicator.class);
				await().atMost(Duration.ofSeconds(20))
					.until(() -> health.health().getDetails().get("lastError") != null);
				String lastError = (String) health.health().getDetails().get("lastError");
				assertThat(lastError).contains("127.0.0.1:******")
					.contains("Connection refused")
					.doesNotContain(Integer.toString(closed));
			});
	}

	@Test
	void listenerInFlightCountsTheMessagesListenersHoldUnacknowledged(MqttBroker broker) throws Exception {
		Holding.release = new CountDownLatch(1);
		runner(broker).withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
			.withUserConfiguration(Holding.class)
			.run((context) -> {
				MqttClient client = context.getBean(MqttClient.class);
				HealthIndicator health = context.getBean("mqttHealthContributor", HealthIndicator.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> client.subscriptions().containsKey("hold/t"));
				assertThat(health.health().getDetails()).containsEntry("listenerInFlight", 0);
				for (int i = 0; i < 3; i++) {
					client.publishAsync("hold/t", "m" + i, false, 1);
				}
				await().atMost(Duration.ofSeconds(15))
					.until(() -> Integer.valueOf(3).equals(health.health().getDetails().get("listenerInFlight")));
				Holding.release.countDown();
				await().atMost(Duration.ofSeconds(15))
					.until(() -> Integer.valueOf(0).equals(health.health().getDetails().get("listenerInFlight")));
			});
	}

	@Test
	void onMqtt5TheServersLastDisconnectIsShownWithoutItsReasonString() throws Exception {
		// a peer on loopback that accepts the CONNECT (MQTT 5 CONNACK, success, no
		// properties) and then sends DISCONNECT 0x89 (Server busy) with the reason
		// string "secret-token": a server's text may carry anything, so only the name and
		// code are shown
		byte[] connack = mqtt5(new ConnAck(false, 0, PacketProperties.NONE));
		byte[] disconnect = mqtt5(
				new Disconnect(0x89, PacketProperties.builder().reasonString("secret-token").build()));
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Thread peer = new Thread(() -> {
				try (Socket socket = server.accept()) {
					socket.getInputStream().read(new byte[256]);
					socket.getOutputStream().write(connack);
					socket.getOutputStream().write(disconnect);
					socket.getOutputStream().flush();
					socket.getInputStream().read(new byte[256]);
				}
				catch (IOException ex) {
					// the client closed first: nothing more to say
				}
			}, "health-test-peer");
			peer.setDaemon(true);
			peer.start();
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class,
						MqttHealthContributorAutoConfiguration.class))
				.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=" + server.getLocalPort(), "umqtt.version=5",
						"umqtt.reconn=false")
				.run((context) -> {
					HealthIndicator health = context.getBean("mqttHealthContributor", HealthIndicator.class);
					await().atMost(Duration.ofSeconds(15))
						.until(() -> health.health().getDetails().get("lastDisconnect") != null);
					Map<String, Object> details = health.health().getDetails();
					assertThat(details).containsEntry("lastDisconnect", "Server busy (0x89)")
						.containsEntry("version", 5);
					assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
					assertThat(details.get("lastDisconnect").toString()).doesNotContain("secret-token");
				});
		}
	}

	private static byte[] mqtt5(Packet packet) {
		ByteBuf buffer = Unpooled.buffer();
		PacketEncoder.MQTT_5.encode(packet, buffer);
		return ByteBufUtil.getBytes(buffer);
	}

	@Configuration(proxyBeanMethods = false)
	static class Holding {

		static volatile CountDownLatch release;

		@MqttSubscribe(topics = "hold/t", qos = 1, id = "holding")
		void on(String payload) throws InterruptedException {
			release.await(30, TimeUnit.SECONDS);
		}

	}

	private static Map<String, Object> connectedAndSubscribed(org.springframework.context.ApplicationContext context) {
		MqttClient client = context.getBean(MqttClient.class);
		HealthIndicator health = context.getBean("mqttHealthContributor", HealthIndicator.class);
		await().atMost(Duration.ofSeconds(15)).until(() -> client.getMqttsta() == 0);
		client.subscribe(FILTER, 1);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> health.health().getStatus().equals(Status.UP)
					&& Integer.valueOf(1).equals(health.health().getDetails().get("subscriptions")));
		return health.health().getDetails();
	}

}
