package io.umqtt.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.umqtt.core.MqttClient;
import io.umqtt.core.SslParams;
import io.umqtt.spring.MqttClients;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

/**
 * Builds the configured clients: the primary from the top level of {@link UmqttProperties} and
 * the {@link UmqttConnectionDetails}, the named ones from {@code umqtt.clients.<name>}, then
 * applies the {@link MqttClientCustomizer}s. Clients deliver on their own dispatch thread, so
 * {@code @MqttSubscribe} methods are invoked without the application polling.
 */
class MqttClientFactory {

	private final UmqttProperties properties;

	private final UmqttConnectionDetails connectionDetails;

	private final SslBundles sslBundles;

	private final List<MqttClientCustomizer> customizers;

	private final String applicationName;

	MqttClientFactory(UmqttProperties properties, UmqttConnectionDetails connectionDetails, SslBundles sslBundles,
			List<MqttClientCustomizer> customizers, String applicationName) {
		this.properties = properties;
		this.connectionDetails = connectionDetails;
		this.sslBundles = sslBundles;
		this.customizers = customizers;
		this.applicationName = StringUtils.hasText(applicationName) ? applicationName : "umqtt";
	}

	/** Every configured client by name, the primary first. */
	MqttClients createClients() {
		Map<String, MqttClient> clients = new LinkedHashMap<>();
		clients.put(MqttClients.PRIMARY, create(MqttClients.PRIMARY, this.properties, this.connectionDetails.getServer(),
				this.connectionDetails.getPort(), this.connectionDetails.getUser(), this.connectionDetails.getPassword(),
				this.properties.getSsl()));
		this.properties.getClients().forEach((name, client) -> {
			boolean ownUser = client.getUser() != null;
			clients.put(name, create(name, client,
					(client.getServer() != null) ? client.getServer() : this.connectionDetails.getServer(),
					(client.getPort() != null) ? client.getPort() : this.connectionDetails.getPort(),
					ownUser ? client.getUser() : this.connectionDetails.getUser(),
					ownUser ? client.getPassword() : this.connectionDetails.getPassword(), merged(client.getSsl())));
		});
		return new MqttClients(clients);
	}

	private MqttClientProperties.Ssl merged(MqttClientProperties.Ssl own) {
		MqttClientProperties.Ssl ssl = new MqttClientProperties.Ssl();
		ssl.setBundle((own.getBundle() != null) ? own.getBundle() : this.properties.getSsl().getBundle());
		ssl.setEnabled((own.getEnabled() != null) ? own.getEnabled() : this.properties.getSsl().getEnabled());
		return ssl;
	}

	private MqttClient create(String name, MqttClientProperties settings, String server, int port, String user,
			String password, MqttClientProperties.Ssl ssl) {
		String clientId = (settings.getClientId() != null) ? settings.getClientId() : defaultClientId(name);
		boolean tls = (ssl.getEnabled() != null) ? ssl.getEnabled() : ssl.getBundle() != null;
		MqttClient.Builder builder = MqttClient.builder(clientId, server)
			.port(port)
			.user(user)
			.password(password)
			.keepalive(seconds(settings.getKeepalive()))
			.reconn(settings.isReconn())
			.version(settings.getVersion())
			.connectTimeout(settings.getConnectTimeout())
			.publishTimeout(settings.getPublishTimeout())
			.maxInflight(settings.getMaxInflight())
			.dispatchThread(true)
			.ssl(tls);
		if (tls && ssl.getBundle() != null) {
			if (this.sslBundles == null) {
				throw new IllegalStateException("umqtt client '" + name + "' names SSL bundle '" + ssl.getBundle()
						+ "' but no SslBundles are configured");
			}
			SslBundle bundle = this.sslBundles.getBundle(ssl.getBundle());
			builder.sslParams(SslParams.of(bundle.createSslContext()));
		}
		this.customizers.forEach((customizer) -> customizer.customize(name, builder));
		MqttClient client = builder.build();
		if (tls && ssl.getBundle() != null) {
			// a reloaded bundle (renewed certificate) reconnects the client with the new material
			this.sslBundles.addBundleUpdateHandler(ssl.getBundle(),
					(updated) -> client.reloadSsl(SslParams.of(updated.createSslContext())));
		}
		MqttClientProperties.LastWill will = settings.getLastWill();
		if (StringUtils.hasText(will.getTopic())) {
			client.setLastWill(will.getTopic(), (will.getMsg() != null) ? will.getMsg() : "", will.isRetain(),
					will.getQos());
		}
		return client;
	}

	private static int seconds(Duration duration) {
		long seconds = (duration != null) ? duration.toSeconds() : 0;
		if (seconds < 0 || seconds > 65_535) {
			throw new IllegalArgumentException("umqtt keepalive must be 0 to 65535 seconds, was " + duration);
		}
		return (int) seconds;
	}

	private String defaultClientId(String name) {
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		return MqttClients.PRIMARY.equals(name) ? this.applicationName + "-" + suffix
				: this.applicationName + "-" + name + "-" + suffix;
	}

}
