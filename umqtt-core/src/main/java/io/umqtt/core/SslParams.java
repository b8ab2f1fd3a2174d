package io.umqtt.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import io.netty.handler.ssl.CipherSuiteFilter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

/**
 * The reference's {@code ssl_params}: what a TLS connection trusts and presents, and
 * which protocol versions and cipher suites it offers. Either PEM files (a CA to trust,
 * and a client certificate and key for mutual TLS) or a JDK {@link SSLContext}. Without a
 * CA the JDK's default trust store is used. The server's host name is verified against
 * its certificate unless {@link #withoutHostnameVerification()} turns that off.
 * <p>
 * Unless {@link #withProtocols(String...)} and {@link #withCiphers(String...)} say
 * otherwise, a connection offers {@link #DEFAULT_PROTOCOLS} (TLS 1.3 and 1.2) and
 * {@link #DEFAULT_CIPHERS} (forward-secret AEAD suites only), those of them the JDK
 * supports; this holds for a given {@link SSLContext} too. Instances are immutable.
 */
public final class SslParams {

	/** The protocol versions offered by default: TLS 1.3 and TLS 1.2. */
	public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

	/**
	 * The cipher suites offered by default: the TLS 1.3 suites, and for TLS 1.2 the
	 * forward-secret (ECDHE, DHE) AEAD suites (AES-GCM, ChaCha20-Poly1305), in order of
	 * preference. Those the JDK does not support are left out.
	 */
	public static final List<String> DEFAULT_CIPHERS = List.of(
			// TLS 1.3
			"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
			// TLS 1.2, forward secret and authenticated encryption only
			"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
			"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
			"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
			"TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
			"TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

	private final Path caFile;

	private final Path certFile;

	private final Path keyFile;

	private final String keyPassword;

	private final SSLContext sslContext;

	private final boolean verifyHostname;

	private final List<String> protocols;

	private final List<String> ciphers;

	private SslParams(Path caFile, Path certFile, Path keyFile, String keyPassword, SSLContext sslContext,
			boolean verifyHostname, List<String> protocols, List<String> ciphers) {
		this.caFile = caFile;
		this.certFile = certFile;
		this.keyFile = keyFile;
		this.keyPassword = keyPassword;
		this.sslContext = sslContext;
		this.verifyHostname = verifyHostname;
		this.protocols = protocols;
		this.ciphers = ciphers;
	}

	private SslParams(Path caFile, Path certFile, Path keyFile, SSLContext sslContext) {
		this(caFile, certFile, keyFile, null, sslContext, true, null, null);
	}

	/** The JDK's default trust store, no client certificate. */
	public static SslParams defaults() {
		return new SslParams(null, null, null, null);
	}

	/**
	 * Trust the CA certificates in a PEM file.
	 * @param caFile the PEM file of one or more CA certificates
	 * @return the parameters
	 */
	public static SslParams trust(Path caFile) {
		return new SslParams(readable(caFile), null, null, null);
	}

	/**
	 * Trust a CA and present a client certificate (mutual TLS), all PEM files.
	 * @param caFile the PEM file of CA certificates, or {@code null} for the JDK's trust
	 * store
	 * @param certFile the PEM file of the client certificate (chain)
	 * @param keyFile the PEM file of the client's PKCS#8 private key
	 * @return the parameters
	 */
	public static SslParams mutual(Path caFile, Path certFile, Path keyFile) {
		return new SslParams((caFile != null) ? readable(caFile) : null, readable(certFile), readable(keyFile), null);
	}

	/**
	 * Use the key and trust material of a JDK {@link SSLContext} (a key store and trust
	 * store, say), with the protocol versions and cipher suites of these parameters.
	 * @param sslContext the context
	 * @return the parameters
	 */
	public static SslParams of(SSLContext sslContext) {
		return new SslParams(null, null, null, Objects.requireNonNull(sslContext, "sslContext"));
	}

	/** The same, with a password for an encrypted private key file. */
	public SslParams withKeyPassword(String password) {
		return new SslParams(this.caFile, this.certFile, this.keyFile, password, this.sslContext, this.verifyHostname,
				this.protocols, this.ciphers);
	}

	/** The same, without checking the server's host name against its certificate. */
	public SslParams withoutHostnameVerification() {
		return new SslParams(this.caFile, this.certFile, this.keyFile, this.keyPassword, this.sslContext, false,
				this.protocols, this.ciphers);
	}

	/**
	 * The same, offering only these protocol versions, e.g. {@code "TLSv1.3"}.
	 * @param protocols the JDK protocol names, at least one
	 * @return the parameters
	 * @throws IllegalArgumentException when none is given or the JDK does not support one
	 */
	public SslParams withProtocols(String... protocols) {
		List<String> checked = checked("protocol", protocols, supported().getProtocols());
		return new SslParams(this.caFile, this.certFile, this.keyFile, this.keyPassword, this.sslContext,
				this.verifyHostname, checked, this.ciphers);
	}

	/**
	 * The same, offering only these cipher suites, in this order of preference, e.g.
	 * {@code "TLS_AES_256_GCM_SHA384"}. Give suites for every protocol version offered:
	 * TLS 1.3 suites are separate from TLS 1.2 ones.
	 * @param ciphers the JDK (IANA) cipher suite names, at least one
	 * @return the parameters
	 * @throws IllegalArgumentException when none is given or the JDK does not support one
	 */
	public SslParams withCiphers(String... ciphers) {
		List<String> checked = checked("cipher suite", ciphers, supported().getCipherSuites());
		return new SslParams(this.caFile, this.certFile, this.keyFile, this.keyPassword, this.sslContext,
				this.verifyHostname, this.protocols, checked);
	}

	/** Whether the server's host name is checked against its certificate. */
	public boolean verifyHostname() {
		return this.verifyHostname;
	}

	/**
	 * The protocol versions offered: those given to {@link #withProtocols}, else
	 * {@link #DEFAULT_PROTOCOLS}.
	 */
	public List<String> protocols() {
		return (this.protocols != null) ? this.protocols : DEFAULT_PROTOCOLS;
	}

	/**
	 * The cipher suites offered: those given to {@link #withCiphers}, else
	 * {@link #DEFAULT_CIPHERS}.
	 */
	public List<String> ciphers() {
		return (this.ciphers != null) ? this.ciphers : DEFAULT_CIPHERS;
	}

	/**
	 * The Netty context for these parameters.
	 * @return a client context
	 * @throws MqttException when the files cannot be used
	 */
	public SslContext toNettyContext() {
		String[] enabledProtocols = protocols().toArray(String[]::new);
		// the defaults are a wish list: what this JDK lacks is left out; explicit choices
		// were checked
		CipherSuiteFilter filter = (this.ciphers != null) ? IdentityCipherSuiteFilter.INSTANCE
				: SupportedCipherSuiteFilter.INSTANCE;
		if (this.sslContext != null) {
			// host name verification is set on each engine (MqttChannelInitializer)
			return new JdkSslContext(this.sslContext, true, ciphers(), filter, null, ClientAuth.NONE, enabledProtocols,
					false);
		}
		try {
			SslContextBuilder builder = SslContextBuilder.forClient()
				.protocols(enabledProtocols)
				.ciphers(ciphers(), filter)
				// Netty sets HTTPS endpoint identification on every engine unless told
				// here
				.endpointIdentificationAlgorithm(this.verifyHostname ? "HTTPS" : null);
			if (this.caFile != null) {
				builder.trustManager(this.caFile.toFile());
			}
			if (this.certFile != null) {
				builder.keyManager(this.certFile.toFile(), this.keyFile.toFile(), this.keyPassword);
			}
			return builder.build();
		}
		catch (SSLException | IllegalArgumentException ex) {
			throw new MqttException("Cannot use TLS parameters " + this + ": " + ex.getMessage(), ex);
		}
	}

	private static SSLParameters supported() {
		try {
			return SSLContext.getDefault().getSupportedSSLParameters();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("This JDK has no default TLS context", ex);
		}
	}

	private static List<String> checked(String what, String[] names, String[] supported) {
		Objects.requireNonNull(names, what + "s");
		if (names.length == 0) {
			throw new IllegalArgumentException("At least one " + what + " is needed");
		}
		Set<String> known = Set.of(supported);
		for (String name : names) {
			if (name == null || !known.contains(name)) {
				throw new IllegalArgumentException(
						"Unsupported TLS " + what + " '" + name + "'; this JDK supports " + Arrays.toString(supported));
			}
		}
		return List.of(names);
	}

	private static Path readable(Path file) {
		Objects.requireNonNull(file, "file");
		if (!Files.isReadable(file)) {
			throw new UncheckedIOException(new IOException("Cannot read " + file));
		}
		return file;
	}

	@Override
	public String toString() {
		String settings = ", verifyHostname=" + this.verifyHostname + ", protocols=" + protocols()
				+ ((this.ciphers != null) ? ", ciphers=" + this.ciphers : ", ciphers=default") + "]";
		if (this.sslContext != null) {
			return "SslParams[sslContext" + settings;
		}
		return "SslParams[ca=" + this.caFile + ", cert=" + this.certFile + ", key=" + this.keyFile + settings;
	}

}
