package io.umqtt.core.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttClient;
import io.umqtt.core.MqttException;
import io.umqtt.core.MqttStatus;
import io.umqtt.test.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mosquitto 2.0 with an ACL answers a denied MQTT 5 PUBLISH with PUBACK or PUBREC 0x87
 * (Not authorized): the publish fails with that code, the connection stays up.
 */
class Mqtt5MosquittoAclIntegrationTests {

	@RegisterExtension
	final Clients clients = new Clients();

	@Test
	void aDeniedPublishFailsWithNotAuthorized(@TempDir Path directory) throws Exception {
		int port = FreePort.find();
		Path acl = directory.resolve("acl");
		Files.writeString(acl, "topic readwrite allowed/#\n");
		Path conf = directory.resolve("mosquitto.conf");
		Files.writeString(conf, "user " + System.getProperty("user.name") + "\nallow_anonymous true\nacl_file " + acl
				+ "\nlog_dest file " + directory.resolve("mosquitto.log") + "\nlistener " + port + " 127.0.0.1\n");
		Process mosquitto = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
			.redirectOutput(directory.resolve("stdout.log").toFile())
			.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> FreePort.isListening(port));
			MqttClient client = this.clients
				.track(MqttClient.builder(Clients.id("v5-acl"), "127.0.0.1").port(port).version(5).build());
			client.connect();
			for (int qos = 1; qos <= 2; qos++) {
				CompletableFuture<Void> denied = client.publishAsync("denied/x", "no".getBytes(), false, qos);
				assertThat(denied).failsWithin(Duration.ofSeconds(10))
					.withThrowableThat()
					.havingCause()
					.isInstanceOf(MqttException.class)
					.withMessageContaining("Not authorized (0x87)")
					.satisfies((ex) -> assertThat(((MqttException) ex).reasonCode()).isEqualTo(0x87));
				// 0x10 (no matching subscribers) is success
				assertThat(client.publish("allowed/x", "yes", false, qos)).isTrue();
			}
			assertThat(client.status()).isEqualTo(MqttStatus.CONNECTED);
		}
		finally {
			mosquitto.destroyForcibly().waitFor();
		}
	}

}
