package io.umqtt.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Properties;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

/**
 * Moquette embedded in the test JVM on a free 127.0.0.1 port, with persistence in a
 * temporary directory. It needs nothing installed, so the test suite passes on a machine
 * without Mosquitto.
 * <p>
 * Moquette was chosen over HiveMQ CE embedded because it is a small, maintained MQTT
 * 3.1.1 broker that starts in well under a second, keeps persistent sessions across a
 * restart, speaks TLS and password authentication, and pulls in little beside Netty.
 */
public final class EmbeddedBroker implements MqttBroker {

	private static final String KEYSTORE_PASSWORD = "umqtt-test";

	private final BrokerOptions options;

	private final Path directory;

	private final int port;

	private final int tlsPort;

	private final TlsMaterial tls;

	private Server server;

	/**
	 * Prepares a broker; {@link #start()} starts it.
	 * @param options how to set it up
	 */
	public EmbeddedBroker(BrokerOptions options) {
		this.options = Objects.requireNonNull(options, "options");
		try {
			this.directory = Files.createTempDirectory("umqtt-embedded-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.port = FreePort.find();
		this.tlsPort = options.tls() ? FreePort.find() : -1;
		this.tls = options.tls() ? TlsMaterial.generate(this.directory.resolve("tls")) : null;
	}

	private Properties configuration() {
		Properties config = new Properties();
		config.setProperty("host", "127.0.0.1");
		config.setProperty("port", Integer.toString(this.port));
		config.setProperty("websocket_port", "disabled");
		config.setProperty("persistence_enabled", "true");
		config.setProperty("data_path", this.directory.resolve("data").toString());
		config.setProperty("telemetry_enabled", "false");
		config.setProperty("netty.epoll", "false");
		config.setProperty("immediate_buffer_flush", "true");
		config.setProperty("allow_zero_byte_client_id", "true");
		// Moquette stalls when its per-session command queue fills under load; give it
		// room.
		config.setProperty("session_queue_size", "262144");
		// Moquette's default of 8 KiB would refuse the large payloads tests send.
		config.setProperty("netty.mqtt.message_size", Integer.toString(268_435_455));
		if (this.options.authenticated()) {
			config.setProperty("allow_anonymous", "false");
			config.setProperty("password_file", writePasswordFile().toString());
		}
		else {
			config.setProperty("allow_anonymous", "true");
		}
		if (this.tls != null) {
			config.setProperty("ssl_port", Integer.toString(this.tlsPort));
			config.setProperty("jks_path", writeKeyStore().toString());
			config.setProperty("key_store_type", "pkcs12");
			config.setProperty("key_store_password", KEYSTORE_PASSWORD);
			config.setProperty("key_manager_password", KEYSTORE_PASSWORD);
			config.setProperty("need_client_auth", Boolean.toString(this.options.requireClientCertificate()));
		}
		return config;
	}

	private Path writePasswordFile() {
		// Moquette reads "user:sha256-hex-of-password" lines.
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(Objects.toString(this.options.password(), "").getBytes(StandardCharsets.UTF_8));
			Path file = this.directory.resolve("passwd");
			Files.writeString(file, this.options.username() + ":" + HexFormat.of().formatHex(digest) + "\n");
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Path writeKeyStore() {
		// One PKCS#12 store holds the server key and, as a trusted entry, the CA that
		// signs clients.
		try {
			CertificateFactory certificates = CertificateFactory.getInstance("X.509");
			Certificate server;
			Certificate ca;
			try (var in = Files.newInputStream(this.tls.serverCertificate())) {
				server = certificates.generateCertificate(in);
			}
			try (var in = Files.newInputStream(this.tls.caCertificate())) {
				ca = certificates.generateCertificate(in);
			}
			String pem = Files.readString(this.tls.serverKey())
				.replaceAll("-----[A-Z ]+-----", "")
				.replaceAll("\\s", "");
			PrivateKey key = KeyFactory.getInstance("EC")
				.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setKeyEntry("server", key, KEYSTORE_PASSWORD.toCharArray(), new Certificate[] { server, ca });
			store.setCertificateEntry("ca", ca);
			Path file = this.directory.resolve("tls").resolve("server.p12");
			try (OutputStream out = Files.newOutputStream(file)) {
				store.store(out, KEYSTORE_PASSWORD.toCharArray());
			}
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not build the embedded broker's key store", ex);
		}
	}

	@Override
	public BrokerKind kind() {
		return BrokerKind.EMBEDDED;
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public int tlsPort() {
		return this.tlsPort;
	}

	@Override
	public BrokerOptions options() {
		return this.options;
	}

	@Override
	public TlsMaterial tlsMaterial() {
		return this.tls;
	}

	@Override
	public Path dataDirectory() {
		return this.directory;
	}

	@Override
	public synchronized void start() {
		if (this.server != null) {
			return;
		}
		Server started = new Server();
		try {
			started.startServer(new MemoryConfig(configuration()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded broker on 127.0.0.1:" + this.port, ex);
		}
		this.server = started;
	}

	@Override
	public synchronized void stop() {
		if (this.server != null) {
			this.server.stopServer();
			this.server = null;
		}
	}

	@Override
	public void kill() {
		stop();
	}

	@Override
	public void save() {
		// Moquette commits its store as it goes and on stop; nothing is held back to
		// save.
	}

	@Override
	public synchronized boolean isRunning() {
		return this.server != null;
	}

	@Override
	public String log() {
		return "(the embedded broker logs through SLF4J in the test JVM)";
	}

	@Override
	public synchronized void close() {
		stop();
		DataDirectories.delete(this.directory);
	}

	@Override
	public String toString() {
		return "EmbeddedBroker[127.0.0.1:" + this.port + ((this.tlsPort > 0) ? ", tls " + this.tlsPort : "") + "]";
	}

}
