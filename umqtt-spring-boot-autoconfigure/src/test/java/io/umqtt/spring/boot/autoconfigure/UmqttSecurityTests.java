package io.umqtt.spring.boot.autoconfigure;

import java.util.concurrent.atomic.AtomicReference;

import io.umqtt.core.MqttClient;
import io.umqtt.spring.MqttClients;
import io.umqtt.spring.boot.autoconfigure.embedded.EmbeddedMqttBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where credentials go and which TLS settings are refused, without connecting anywhere:
 * the runner's contexts are not started, so no client connects.
 */
@ExtendWith(OutputCaptureExtension.class)
class UmqttSecurityTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class))
		.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=1", "umqtt.user=device", "umqtt.password=top-secret");

	@Test
	void aNamedClientOnThePrimarysServerInheritsItsCredentials() {
		this.runner.withPropertyValues("umqtt.clients.same.client-id=same")
			.run((context) -> assertThat(named(context, "same")).contains("user=device, password=******"));
	}

	@Test
	void aNamedClientNamingTheSameServerAndPortInheritsToo() {
		this.runner.withPropertyValues("umqtt.clients.same.server=127.0.0.1", "umqtt.clients.same.port=1")
			.run((context) -> assertThat(named(context, "same")).contains("user=device, password=******"));
	}

	@Test
	void aNamedClientWithAServerOfItsOwnGetsNoInheritedCredentials() {
		this.runner.withPropertyValues("umqtt.clients.elsewhere.server=other.example")
			.run((context) -> assertThat(named(context, "elsewhere")).contains("user=null, password=null"));
	}

	@Test
	void aNamedClientWithAPortOfItsOwnGetsNoInheritedCredentials() {
		this.runner.withPropertyValues("umqtt.clients.elsewhere.port=2")
			.run((context) -> assertThat(named(context, "elsewhere")).contains("user=null, password=null"));
	}

	@Test
	void aNamedClientWithAPasswordButNoUserIsRefusedRatherThanGivenThePrimarysUser() {
		this.runner.withPropertyValues("umqtt.clients.same.password=its-own").run((context) -> {
			assertThat(context).hasFailed();
			Throwable cause = context.getStartupFailure();
			while (cause.getCause() != null) {
				cause = cause.getCause();
			}
			assertThat(cause).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("umqtt.clients.same.password is set but umqtt.clients.same.user is not")
				.hasMessageNotContaining("its-own")
				.hasMessageNotContaining("top-secret");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  " })
	void aNamedClientWithAPasswordAndABlankUserIsRefusedAsWithNoUser(String blank) {
		this.runner.withPropertyValues("umqtt.clients.same.user=" + blank, "umqtt.clients.same.password=its-own")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure())).isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("umqtt.clients.same.password is set but umqtt.clients.same.user is not")
					.hasMessageNotContaining("its-own")
					.hasMessageNotContaining("top-secret");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  " })
	void aPasswordWithABlankUserAtTheTopLevelIsRefused(String blank) {
		this.runner.withPropertyValues("umqtt.user=" + blank).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rootCause(context.getStartupFailure())).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("umqtt.password is set but umqtt.user is not")
				.hasMessageNotContaining("top-secret");
		});
	}

	@Test
	void aNamedClientWithABlankUserAndNoPasswordInheritsAsWithNoUser() {
		this.runner.withPropertyValues("umqtt.clients.same.user=")
			.run((context) -> assertThat(named(context, "same")).contains("user=device, password=******"));
	}

	@Test
	void aBlankUserAndAnEmptyPasswordAreNoCredentials() {
		// as empty environment variables give them
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(UmqttAutoConfiguration.class))
			.withPropertyValues("umqtt.server=127.0.0.1", "umqtt.port=1", "umqtt.user=", "umqtt.password=",
					"umqtt.clients.other.client-id=other", "umqtt.clients.other.user=", "umqtt.clients.other.password=")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(named(context, "other")).contains("user=null, password=null");
			});
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@Test
	void inheritCredentialsOptsIn() {
		this.runner
			.withPropertyValues("umqtt.clients.elsewhere.server=other.example",
					"umqtt.clients.elsewhere.inherit-credentials=true")
			.run((context) -> assertThat(named(context, "elsewhere")).contains("user=device, password=******"));
	}

	@Test
	void inheritCredentialsFalseKeepsThemAwayFromTheSameServer() {
		this.runner
			.withPropertyValues("umqtt.clients.same.client-id=same", "umqtt.clients.same.inherit-credentials=false")
			.run((context) -> assertThat(named(context, "same")).contains("user=null, password=null"));
	}

	@Test
	void aNamedClientsOwnUserComesWithItsOwnPassword() {
		this.runner.withPropertyValues("umqtt.clients.own.user=sensor", "umqtt.clients.own.inherit-credentials=true")
			.run((context) -> assertThat(named(context, "own")).contains("user=sensor, password=null"));
	}

	@Test
	void sslDisabledNextToABundleIsRefused() {
		this.runner.withPropertyValues("umqtt.ssl.bundle=mqtt", "umqtt.ssl.enabled=false").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("umqtt.ssl.enabled=false next to umqtt.ssl.bundle=mqtt");
		});
	}

	@Test
	void aNamedClientSwitchingTlsOffBesideItsBundleIsRefused() {
		this.runner.withPropertyValues("umqtt.clients.other.ssl.bundle=mqtt", "umqtt.clients.other.ssl.enabled=false")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining(
							"umqtt.clients.other.ssl.enabled=false next to umqtt.clients.other.ssl.bundle=mqtt");
			});
	}

	@Test
	void aNamedClientOnThePrimarysServerCannotSwitchOffTheInheritedBundle() {
		this.runner.withPropertyValues("umqtt.ssl.bundle=mqtt", "umqtt.clients.other.ssl.enabled=false")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining(
							"umqtt.clients.other.ssl.enabled=false next to umqtt.ssl.bundle (inherited from the top level)=mqtt");
			});
	}

	@Test
	void aNamedClientWithAServerOfItsOwnMaySwitchTlsOffBesideThePrimarysBundle() {
		this.runner
			.withPropertyValues("umqtt.ssl.bundle=mqtt", "umqtt.clients.plain.server=127.0.0.1",
					"umqtt.clients.plain.port=2", "umqtt.clients.plain.ssl.enabled=false")
			.run((context) -> {
				// fails only on the primary's bundle, which this runner does not
				// configure
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("umqtt client 'default' names SSL bundle 'mqtt'");
			});
	}

	@Test
	void aPasswordOverPlainTcpToARemoteHostIsWarnedAboutOncePerClient(CapturedOutput output) {
		this.runner
			.withPropertyValues("umqtt.server=broker.example", "umqtt.port=0", "umqtt.clients.second.client-id=s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output.getAll()).containsOnlyOnce(
						"umqtt client 'default' sends its password unencrypted over plain TCP to broker.example:1883")
					.containsOnlyOnce(
							"umqtt client 'second' sends its password unencrypted over plain TCP to broker.example:1883")
					.doesNotContain("top-secret");
			});
	}

	@Test
	void noWarningForLoopbackTlsOrNoPassword(CapturedOutput output) {
		this.runner
			.withPropertyValues("umqtt.clients.tls.server=broker.example", "umqtt.clients.tls.ssl.enabled=true",
					"umqtt.clients.tls.inherit-credentials=true", "umqtt.clients.anonymous.server=broker.example",
					"umqtt.clients.v6.server=::1", "umqtt.clients.v6.inherit-credentials=true",
					"umqtt.clients.name.server=localhost", "umqtt.clients.name.inherit-credentials=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output.getAll()).doesNotContain("sends its password unencrypted");
			});
	}

	@Test
	void loopbackIsTheLoopbackLiteralsAndLocalhostWithoutLookingNamesUp() {
		assertThat(MqttClientFactory.isLoopback("127.0.0.1")).isTrue();
		assertThat(MqttClientFactory.isLoopback("127.12.0.9")).isTrue();
		assertThat(MqttClientFactory.isLoopback("::1")).isTrue();
		assertThat(MqttClientFactory.isLoopback("[::1]")).isTrue();
		assertThat(MqttClientFactory.isLoopback("LocalHost")).isTrue();
		assertThat(MqttClientFactory.isLoopback("10.0.0.1")).isFalse();
		assertThat(MqttClientFactory.isLoopback("broker.example")).isFalse();
		assertThat(MqttClientFactory.isLoopback("127.0.0.1.example")).isFalse();
	}

	@Test
	void theEmbeddedBrokerWarnsThatItIsForDevelopmentWhenNoTestFrameworkRunsIt(CapturedOutput output)
			throws InterruptedException {
		EmbeddedMqttBroker broker = new EmbeddedMqttBroker(0);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		// a thread of its own has no test framework on its stack, as in a running
		// application
		Thread application = new Thread(() -> {
			try {
				broker.start();
			}
			catch (RuntimeException | Error ex) {
				failure.set(ex);
			}
		}, "application-main");
		application.start();
		application.join(60_000);
		try {
			assertThat(failure.get()).isNull();
			assertThat(broker.isRunning()).isTrue();
			assertThat(output.getAll()).contains("WARN")
				.contains("Embedded MQTT broker started on 127.0.0.1:" + broker.getPort()
						+ ": for development only, it accepts anonymous clients");
		}
		finally {
			broker.stop();
		}
	}

	@Test
	void underATestFrameworkTheEmbeddedBrokerOnlyInforms(CapturedOutput output) {
		EmbeddedMqttBroker broker = new EmbeddedMqttBroker(0);
		try {
			broker.start();
			assertThat(output.getAll()).contains("Embedded MQTT broker started on 127.0.0.1:" + broker.getPort())
				.doesNotContain("for development only");
		}
		finally {
			broker.stop();
		}
	}

	private static String named(org.springframework.context.ApplicationContext context, String name) {
		MqttClient client = context.getBean(MqttClients.class).get(name);
		return client.toString();
	}

}
