package io.umqtt.spring.boot.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.umqtt.core.MqttClient;
import io.umqtt.core.SslParams;
import io.umqtt.spring.ErrorTextMask;
import io.umqtt.spring.MqttClients;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.StringUtils;

/**
 * Builds the configured clients: the primary from the top level of
 * {@link UmqttProperties} and the {@link UmqttConnectionDetails}, the named ones from
 * {@code umqtt.clients.<name>}, then applies the {@link MqttClientCustomizer}s. A named
 * client inherits the primary's user and password only when it connects to the same
 * server and port (or sets {@code inherit-credentials}), and never when it sets a
 * password of its own, which it may only do with its own user (refused otherwise);
 * {@code ssl.enabled=false} next to {@code ssl.bundle} is refused; a password about to
 * travel over plain TCP to a host that is not loopback is logged at WARN, once per
 * client. Clients deliver on their own dispatch thread, so {@code @MqttSubscribe} methods
 * are invoked without the application polling.
 */
class MqttClientFactory {

	private static final Log logger = LogFactory.getLog(MqttClientFactory.class);

	private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private final UmqttProperties properties;

	private final UmqttConnectionDetails connectionDetails;

	private final @Nullable SslBundles sslBundles;

	private final List<MqttClientCustomizer> customizers;

	private final String applicationName;

	MqttClientFactory(UmqttProperties properties, UmqttConnectionDetails connectionDetails,
			@Nullable SslBundles sslBundles, List<MqttClientCustomizer> customizers, @Nullable String applicationName) {
		this.properties = properties;
		this.connectionDetails = connectionDetails;
		this.sslBundles = sslBundles;
		this.customizers = customizers;
		this.applicationName = StringUtils.hasText(applicationName) ? applicationName : "umqtt";
	}

	/** Every configured client by name, the primary first. */
	MqttClients createClients() {
		Map<String, MqttClient> clients = new LinkedHashMap<>();
		MqttClientProperties.Ssl primarySsl = this.properties.getSsl();
		checkSsl("umqtt.ssl", primarySsl.getEnabled(), primarySsl.getBundle(), "umqtt.ssl.bundle");
		String primaryServer = this.connectionDetails.getServer();
		int primaryPort = this.connectionDetails.getPort();
		// every client's TLS settings are checked before any client is built
		Map<String, MqttClientProperties.Ssl> namedSsl = new LinkedHashMap<>();
		this.properties.getClients().forEach((name, client) -> namedSsl.put(name, merged(name, client)));
		// and every client's MQTT 5 keys against its version
		Mqtt5ConnectSettings.check("umqtt", this.properties);
		this.properties.getClients()
			.forEach((name, client) -> Mqtt5ConnectSettings.check("umqtt.clients." + name, client));
		Map<String, ErrorTextMask> masks = new LinkedHashMap<>();
		Map<String, Integer> versions = new LinkedHashMap<>();
		versions.put(MqttClients.PRIMARY, this.properties.getVersion());
		this.properties.getClients().forEach((name, client) -> versions.put(name, client.getVersion()));
		// a blank user name is no user name: with a password it is refused as if absent;
		// an
		// empty password beside it (as empty environment variables give) is no password
		// either
		String primaryUser = userName(this.connectionDetails.getUser());
		String primaryPassword = password(primaryUser, this.connectionDetails.getPassword());
		if (primaryPassword != null && primaryUser == null) {
			throw new IllegalStateException("umqtt.password is set but umqtt.user is not (or is blank): a password "
					+ "needs a user name [MQTT-3.1.2-22]; set umqtt.user, or remove the password");
		}
		clients.put(MqttClients.PRIMARY, create(MqttClients.PRIMARY, this.properties, primaryServer, primaryPort,
				primaryUser, primaryPassword, primarySsl));
		masks.put(MqttClients.PRIMARY, ErrorTextMask.of(primaryPassword));
		this.properties.getClients().forEach((name, client) -> {
			String user = userName(client.getUser());
			String ownPassword = password(user, client.getPassword());
			if (ownPassword != null && user == null) {
				// MQTT has no password without a user name [MQTT-3.1.2-22]; taking the
				// primary's user
				// would send this password under someone else's name
				throw new IllegalStateException("umqtt.clients." + name + ".password is set but umqtt.clients." + name
						+ ".user is not (or is blank): a password needs its own user name [MQTT-3.1.2-22]; set "
						+ "umqtt.clients." + name
						+ ".user, or remove the password to inherit the top level's credentials");
			}
			String server = (client.getServer() != null) ? client.getServer() : primaryServer;
			int port = (client.getPort() != null) ? client.getPort() : primaryPort;
			MqttClientProperties.Ssl ssl = namedSsl.get(name);
			boolean sameEndpoint = server.equalsIgnoreCase(primaryServer)
					&& resolvedPort(port, ssl) == resolvedPort(primaryPort, primarySsl);
			// a secret goes only to the server it was given for, unless the client opts
			// in
			boolean inherit = (user == null)
					&& ((client.getInheritCredentials() != null) ? client.getInheritCredentials() : sameEndpoint);
			String password = inherit ? primaryPassword : ownPassword;
			clients.put(name, create(name, client, server, port, inherit ? primaryUser : user, password, ssl));
			masks.put(name, ErrorTextMask.of(password));
		});
		return new MqttClients(clients, masks, versions);
	}

	/**
	 * The configured password; {@code null} when absent, or empty without a user name.
	 */
	private static @Nullable String password(@Nullable String user, @Nullable String password) {
		return (password != null && (user != null || !password.isEmpty())) ? password : null;
	}

	/** The configured user name, {@code null} when absent or blank. */
	private static @Nullable String userName(@Nullable String user) {
		return StringUtils.hasText(user) ? user : null;
	}

	/**
	 * A named client's TLS settings: its own, else the top level's. One that connects
	 * elsewhere than the primary and sets {@code ssl.enabled=false} does not inherit the
	 * primary's bundle.
	 */
	private MqttClientProperties.Ssl merged(String name, MqttClientProperties client) {
		MqttClientProperties.Ssl own = client.getSsl();
		MqttClientProperties.Ssl top = this.properties.getSsl();
		String prefix = "umqtt.clients." + name + ".ssl";
		checkSsl(prefix, own.getEnabled(), own.getBundle(), prefix + ".bundle");
		MqttClientProperties.Ssl ssl = new MqttClientProperties.Ssl();
		boolean ownEndpoint = client.getServer() != null || client.getPort() != null;
		boolean plainElsewhere = Boolean.FALSE.equals(own.getEnabled()) && ownEndpoint;
		ssl.setBundle((own.getBundle() != null) ? own.getBundle() : (plainElsewhere ? null : top.getBundle()));
		ssl.setEnabled((own.getEnabled() != null) ? own.getEnabled() : top.getEnabled());
		ssl.setVerifyHostname((own.getVerifyHostname() != null) ? own.getVerifyHostname() : top.getVerifyHostname());
		checkSsl(prefix, ssl.getEnabled(), ssl.getBundle(), "umqtt.ssl.bundle (inherited from the top level)");
		return ssl;
	}

	private static void checkSsl(String prefix, Boolean enabled, String bundle, String bundleKey) {
		if (Boolean.FALSE.equals(enabled) && bundle != null) {
			throw new IllegalStateException(prefix + ".enabled=false next to " + bundleKey + "=" + bundle
					+ ": a client with an SSL bundle always uses TLS; remove one of the two");
		}
	}

	private static int resolvedPort(int port, MqttClientProperties.Ssl ssl) {
		boolean tls = (ssl.getEnabled() != null) ? ssl.getEnabled() : ssl.getBundle() != null;
		return (port != 0) ? port : (tls ? 8883 : 1883);
	}

	private static SslParams sslParams(SslBundle bundle, boolean verifyHostname) {
		SslParams params = SslParams.of(bundle.createSslContext());
		// the bundle's options, as Spring Boot's own bundle consumers apply them
		SslOptions options = bundle.getOptions();
		if (options.getEnabledProtocols() != null) {
			params = params.withProtocols(options.getEnabledProtocols());
		}
		if (options.getCiphers() != null) {
			params = params.withCiphers(options.getCiphers());
		}
		return verifyHostname ? params : params.withoutHostnameVerification();
	}

	private static void warnOnPlainPassword(String name, String server, int port, @Nullable String password,
			boolean tls) {
		if (password != null && !tls && !isLoopback(server)) {
			logger.warn("umqtt client '" + name + "' sends its password unencrypted over plain TCP to " + server + ":"
					+ ((port != 0) ? port : 1883) + "; use TLS (umqtt.ssl.enabled or umqtt.ssl.bundle)");
		}
	}

	/**
	 * Whether {@code host} is {@code localhost} or a loopback address literal; never
	 * resolves a name.
	 */
	static boolean isLoopback(String host) {
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		if ("localhost".equalsIgnoreCase(bare) || bare.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
			return true;
		}
		boolean literal = bare.indexOf(':') >= 0 || IPV4_LITERAL.matcher(bare).matches();
		if (!literal) {
			return false;
		}
		try {
			// an address literal: parsed, never looked up
			return InetAddress.getByName(bare).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			// not a valid address literal: not loopback either, so the warning errs on
			// the safe side
			return false;
		}
	}

	private MqttClient create(String name, MqttClientProperties settings, String server, int port,
			@Nullable String user, @Nullable String password, MqttClientProperties.Ssl ssl) {
		String clientId = (settings.getClientId() != null) ? settings.getClientId() : defaultClientId(name);
		boolean tls = (ssl.getEnabled() != null) ? ssl.getEnabled() : ssl.getBundle() != null;
		boolean verifyHostname = !Boolean.FALSE.equals(ssl.getVerifyHostname());
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
		Mqtt5ConnectSettings.apply(settings, builder);
		if (tls && ssl.getBundle() != null) {
			if (this.sslBundles == null) {
				throw new IllegalStateException("umqtt client '" + name + "' names SSL bundle '" + ssl.getBundle()
						+ "' but no SslBundles are configured");
			}
			SslBundle bundle = this.sslBundles.getBundle(ssl.getBundle());
			builder.sslParams(sslParams(bundle, verifyHostname));
		}
		else if (tls && !verifyHostname) {
			builder.sslParams(SslParams.defaults().withoutHostnameVerification());
		}
		warnOnPlainPassword(name, server, port, password, tls);
		this.customizers.forEach((customizer) -> customizer.customize(name, builder));
		MqttClient client = builder.build();
		if (tls && ssl.getBundle() != null) {
			// a reloaded bundle (renewed certificate) reconnects the client with the new
			// material
			this.sslBundles.addBundleUpdateHandler(ssl.getBundle(),
					(updated) -> client.reloadSsl(sslParams(updated, verifyHostname)));
		}
		MqttClientProperties.LastWill will = settings.getLastWill();
		if (StringUtils.hasText(will.getTopic())) {
			client.setLastWill(Mqtt5ConnectSettings.lastWill(settings));
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
