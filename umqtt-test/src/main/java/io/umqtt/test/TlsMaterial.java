package io.umqtt.test;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority, a server certificate for {@code localhost}, {@code 127.0.0.1}
 * and {@code ::1}, and a client certificate, all generated at test time and written as
 * PEM files. Nothing here is fit for anything but tests.
 */
public final class TlsMaterial {

	/**
	 * A loopback address the server certificate does not name: dialled there, a client
	 * that verifies host names must refuse the server.
	 */
	public static final String UNNAMED_LOOPBACK_ADDRESS = "127.0.0.2";

	private static final char[] STORE_PASSWORD = "changeit".toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Path directory;

	private final X509Certificate caCertificate;

	private final KeyPair clientKeys;

	private final X509Certificate clientCertificate;

	private TlsMaterial(Path directory, X509Certificate caCertificate, KeyPair clientKeys,
			X509Certificate clientCertificate) {
		this.directory = directory;
		this.caCertificate = caCertificate;
		this.clientKeys = clientKeys;
		this.clientCertificate = clientCertificate;
	}

	/**
	 * Generates a CA, a server and a client certificate into {@code directory}.
	 * @param directory where the PEM files go; created when missing
	 * @return the generated material
	 */
	public static TlsMaterial generate(Path directory) {
		try {
			Files.createDirectories(directory);
			KeyPair caKeys = newKeyPair();
			X500Name caName = new X500Name("CN=umqtt test CA");
			X509Certificate ca = sign(caName, caKeys, caName, caKeys.getPublic(), true, null);
			KeyPair serverKeys = newKeyPair();
			GeneralNames serverNames = new GeneralNames(
					new GeneralName[] { new GeneralName(GeneralName.dNSName, "localhost"),
							new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
							new GeneralName(GeneralName.iPAddress, InetAddress.getByName("::1").getHostAddress()) });
			X509Certificate server = sign(caName, caKeys, new X500Name("CN=localhost"), serverKeys.getPublic(), false,
					serverNames);
			KeyPair clientKeys = newKeyPair();
			X509Certificate client = sign(caName, caKeys, new X500Name("CN=umqtt-test-client"), clientKeys.getPublic(),
					false, null);
			writePem(directory.resolve("ca.crt"), ca);
			writePem(directory.resolve("server.crt"), server);
			writePem(directory.resolve("server.key"), new JcaPKCS8Generator(serverKeys.getPrivate(), null));
			writePem(directory.resolve("client.crt"), client);
			writePem(directory.resolve("client.key"), new JcaPKCS8Generator(clientKeys.getPrivate(), null));
			return new TlsMaterial(directory, ca, clientKeys, client);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write test certificates to " + directory, ex);
		}
		catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException ex) {
			throw new IllegalStateException("Could not generate test certificates", ex);
		}
	}

	/** PEM file of the CA certificate that signed the server and client certificates. */
	public Path caCertificate() {
		return this.directory.resolve("ca.crt");
	}

	/** PEM file of the server certificate. */
	public Path serverCertificate() {
		return this.directory.resolve("server.crt");
	}

	/** PEM file of the server's PKCS#8 private key. */
	public Path serverKey() {
		return this.directory.resolve("server.key");
	}

	/** PEM file of the client certificate. */
	public Path clientCertificate() {
		return this.directory.resolve("client.crt");
	}

	/** PEM file of the client's PKCS#8 private key. */
	public Path clientKey() {
		return this.directory.resolve("client.key");
	}

	/**
	 * A JDK {@link SSLContext} that trusts the test CA and presents the client
	 * certificate.
	 * @return a new context
	 */
	public SSLContext clientSslContext() {
		try {
			KeyStore trust = KeyStore.getInstance("PKCS12");
			trust.load(null, null);
			trust.setCertificateEntry("ca", this.caCertificate);
			TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			tmf.init(trust);
			KeyStore keys = KeyStore.getInstance("PKCS12");
			keys.load(null, null);
			keys.setKeyEntry("client", this.clientKeys.getPrivate(), STORE_PASSWORD,
					new X509Certificate[] { this.clientCertificate, this.caCertificate });
			KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			kmf.init(keys, STORE_PASSWORD);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("Could not build an SSLContext from the test certificates", ex);
		}
	}

	private static KeyPair newKeyPair() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
		return generator.generateKeyPair();
	}

	private static X509Certificate sign(X500Name issuer, KeyPair issuerKeys, X500Name subject,
			java.security.PublicKey subjectKey, boolean ca, GeneralNames subjectAltNames)
			throws GeneralSecurityException, IOException, org.bouncycastle.operator.OperatorCreationException {
		Instant now = Instant.now();
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
				Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
				subjectKey);
		JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
		builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
		if (ca) {
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
		}
		else {
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					extensions.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
			builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
					new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
		}
		if (subjectAltNames != null) {
			builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
		}
		ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
		return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
	}

	private static void writePem(Path file, Object object) throws IOException {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			writer.writeObject(object);
		}
		Files.writeString(file, text.toString());
	}

}
