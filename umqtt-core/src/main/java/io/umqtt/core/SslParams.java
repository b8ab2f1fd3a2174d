package io.umqtt.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/**
 * The reference's {@code ssl_params}: what a TLS connection trusts and presents. Either PEM
 * files (a CA to trust, and a client certificate and key for mutual TLS) or a JDK
 * {@link SSLContext}. Without a CA the JDK's default trust store is used. The server's host
 * name is verified against its certificate unless {@link #withoutHostnameVerification()}
 * turns that off.
 */
public final class SslParams {

	private final Path caFile;

	private final Path certFile;

	private final Path keyFile;

	private final String keyPassword;

	private final SSLContext sslContext;

	private final boolean verifyHostname;

	private SslParams(Path caFile, Path certFile, Path keyFile, String keyPassword, SSLContext sslContext,
			boolean verifyHostname) {
		this.caFile = caFile;
		this.certFile = certFile;
		this.keyFile = keyFile;
		this.keyPassword = keyPassword;
		this.sslContext = sslContext;
		this.verifyHostname = verifyHostname;
	}

	/** The JDK's default trust store, no client certificate. */
	public static SslParams defaults() {
		return new SslParams(null, null, null, null, null, true);
	}

	/**
	 * Trust the CA certificates in a PEM file.
	 * @param caFile PEM file of one or more CA certificates
	 * @return the parameters
	 */
	public static SslParams trust(Path caFile) {
		return new SslParams(readable(caFile), null, null, null, null, true);
	}

	/**
	 * Trust a CA and present a client certificate (mutual TLS), all PEM files.
	 * @param caFile PEM file of CA certificates, or {@code null} for the JDK's trust store
	 * @param certFile PEM file of the client certificate (chain)
	 * @param keyFile PEM file of the client's PKCS#8 private key
	 * @return the parameters
	 */
	public static SslParams mutual(Path caFile, Path certFile, Path keyFile) {
		return new SslParams((caFile != null) ? readable(caFile) : null, readable(certFile), readable(keyFile), null,
				null, true);
	}

	/**
	 * Use a JDK {@link SSLContext} as it is.
	 * @param sslContext the context
	 * @return the parameters
	 */
	public static SslParams of(SSLContext sslContext) {
		return new SslParams(null, null, null, null, Objects.requireNonNull(sslContext, "sslContext"), true);
	}

	/** The same, with a password for an encrypted private key file. */
	public SslParams withKeyPassword(String password) {
		return new SslParams(this.caFile, this.certFile, this.keyFile, password, this.sslContext, this.verifyHostname);
	}

	/** The same, without checking the server's host name against its certificate. */
	public SslParams withoutHostnameVerification() {
		return new SslParams(this.caFile, this.certFile, this.keyFile, this.keyPassword, this.sslContext, false);
	}

	/** Whether the server's host name is checked against its certificate. */
	public boolean verifyHostname() {
		return this.verifyHostname;
	}

	/**
	 * The Netty context for these parameters.
	 * @return a client context
	 * @throws MqttException when the files cannot be used
	 */
	public SslContext toNettyContext() {
		if (this.sslContext != null) {
			return new JdkSslContext(this.sslContext, true, ClientAuth.NONE);
		}
		try {
			SslContextBuilder builder = SslContextBuilder.forClient();
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

	private static Path readable(Path file) {
		Objects.requireNonNull(file, "file");
		if (!Files.isReadable(file)) {
			throw new UncheckedIOException(new IOException("Cannot read " + file));
		}
		return file;
	}

	@Override
	public String toString() {
		if (this.sslContext != null) {
			return "SslParams[sslContext, verifyHostname=" + this.verifyHostname + "]";
		}
		return "SslParams[ca=" + this.caFile + ", cert=" + this.certFile + ", key=" + this.keyFile + ", verifyHostname="
				+ this.verifyHostname + "]";
	}

}
