package io.umqtt.test;

import java.io.IOException;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

final class TlsChecks {

	private TlsChecks() {
	}

	static void connectsWithClientCertificate(MqttBroker broker) throws IOException {
		assertThat(broker.tlsPort()).isPositive();
		SSLSocket socket = (SSLSocket) broker.tlsMaterial()
			.clientSslContext()
			.getSocketFactory()
			.createSocket(broker.host(), broker.tlsPort());
		socket.startHandshake();
		try (RawMqtt client = new RawMqtt(socket)) {
			assertThat(client.connect("tls-client", true, null, null)).containsExactly(0, 0);
		}
	}

	static void refusesWithoutClientCertificate(MqttBroker broker) throws Exception {
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		try (var in = Files.newInputStream(broker.tlsMaterial().caCertificate())) {
			trust.setCertificateEntry("ca",
					(X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		tmf.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, tmf.getTrustManagers(), null);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
			SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(broker.host(), broker.tlsPort());
			try (RawMqtt client = new RawMqtt(socket)) {
				socket.startHandshake();
				// TLS 1.3 reports a missing client certificate only on the first read.
				client.connect("tls-anonymous", true, null, null);
			}
		});
	}

}
