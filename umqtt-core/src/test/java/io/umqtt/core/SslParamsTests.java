package io.umqtt.core;

import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What a TLS engine built from {@link SslParams} offers, without a socket.
 */
class SslParamsTests {

	@Test
	void theDefaultsOfferTls12AndUpWithForwardSecretAeadSuitesOnly() {
		SSLEngine engine = engine(SslParams.defaults());
		assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
		assertThat(engine.getEnabledCipherSuites()).isNotEmpty()
			.allSatisfy((suite) -> assertThat(suite).isIn(SslParams.DEFAULT_CIPHERS))
			.allSatisfy((suite) -> assertThat(suite).doesNotContain("_CBC_").doesNotStartWith("TLS_RSA_"))
			.contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
	}

	@Test
	void aJdkContextGetsTheSameDefaults() throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, null, null);
		SSLEngine engine = engine(SslParams.of(context));
		assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
		assertThat(engine.getEnabledCipherSuites())
			.allSatisfy((suite) -> assertThat(suite).isIn(SslParams.DEFAULT_CIPHERS));
	}

	@Test
	void protocolsAndCiphersAreOfferedAsGiven() {
		SSLEngine engine = engine(SslParams.defaults()
			.withProtocols("TLSv1.2")
			.withCiphers("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
		assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.2");
		assertThat(engine.getEnabledCipherSuites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
				"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
	}

	@Test
	void hostNameVerificationIsOnUnlessTurnedOff() {
		assertThat(engine(SslParams.defaults()).getSSLParameters().getEndpointIdentificationAlgorithm())
			.isEqualTo("HTTPS");
		assertThat(engine(SslParams.defaults().withoutHostnameVerification()).getSSLParameters()
			.getEndpointIdentificationAlgorithm()).isNull();
	}

	@Test
	void anUnknownProtocolOrCipherIsRefusedNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> SslParams.defaults().withProtocols("TLSv9"))
			.withMessageContaining("Unsupported TLS protocol 'TLSv9'");
		assertThatIllegalArgumentException().isThrownBy(() -> SslParams.defaults().withCiphers("NOT_A_SUITE"))
			.withMessageContaining("Unsupported TLS cipher suite 'NOT_A_SUITE'");
		assertThatIllegalArgumentException().isThrownBy(() -> SslParams.defaults().withProtocols())
			.withMessageContaining("At least one protocol");
	}

	@Test
	void toStringNamesTheSettings() {
		assertThat(SslParams.defaults().withProtocols("TLSv1.3")).hasToString(
				"SslParams[ca=null, cert=null, key=null, verifyHostname=true, protocols=[TLSv1.3], ciphers=default]");
		assertThat(List.copyOf(SslParams.DEFAULT_PROTOCOLS)).containsExactly("TLSv1.3", "TLSv1.2");
		assertThat(Arrays.asList(SslParams.defaults().ciphers().toArray())).isEqualTo(SslParams.DEFAULT_CIPHERS);
	}

	private static SSLEngine engine(SslParams params) {
		return params.toNettyContext().newEngine(ByteBufAllocator.DEFAULT, "broker.example", 8883);
	}

}
