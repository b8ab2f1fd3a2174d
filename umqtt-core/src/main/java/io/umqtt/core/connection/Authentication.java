package io.umqtt.core.connection;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.umqtt.core.MqttAuthenticator;
import io.umqtt.core.MqttException;
import io.umqtt.core.ReasonCode;
import io.umqtt.core.packet.Auth;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PacketPropertiesBuilder;
import org.jspecify.annotations.Nullable;

/**
 * MQTT 5 enhanced authentication (4.12): answers the server's AUTH challenges with the
 * {@link MqttAuthenticator}, while connecting and during a re-authentication the client
 * started, and tells a protocol error from a step of the exchange. Does no I/O: each
 * answer is a {@link Step} for the connection to act on. Confined to the channel's event
 * loop.
 */
final class Authentication {

	private final @Nullable MqttAuthenticator authenticator;

	/** The re-authentication under way, or {@code null}. */
	private @Nullable CompletableFuture<Void> reauthentication;

	Authentication(@Nullable MqttAuthenticator authenticator) {
		this.authenticator = authenticator;
	}

	/**
	 * What to do about an AUTH from the server.
	 * @param auth the packet
	 * @param connecting whether the CONNACK is still awaited
	 * @return the AUTH to answer with, a protocol error to disconnect for, or neither (a
	 * re-authentication completed)
	 */
	Step onAuth(Auth auth, boolean connecting) {
		if (this.authenticator == null) {
			// [MQTT-4.12.0-6]: no Authentication Method in CONNECT, no AUTH from the
			// server
			return Step.violation("AUTH from the server without an Authentication Method in CONNECT [MQTT-4.12.0-6]");
		}
		String method = auth.properties().authenticationMethod();
		if (!this.authenticator.method().equals(method)) {
			return Step.violation("AUTH with Authentication Method " + ((method != null) ? "'" + method + "'" : "none")
					+ ", not '" + this.authenticator.method() + "' as in CONNECT [MQTT-4.12.0-5]");
		}
		boolean reauthenticating = !connecting && this.reauthentication != null;
		if (!connecting && !reauthenticating) {
			return Step.violation("AUTH while no authentication is under way");
		}
		return switch (auth.reasonCode()) {
			case ReasonCode.CONTINUE_AUTHENTICATION -> challenged(auth);
			case ReasonCode.SUCCESS -> {
				if (connecting) {
					// a connect succeeds with CONNACK, not AUTH
					yield Step.violation("AUTH Success before CONNACK");
				}
				CompletableFuture<Void> done = this.reauthentication;
				this.reauthentication = null;
				done.complete(null);
				yield Step.DONE;
			}
			// 0x19 Re-authenticate: only the client sends it [MQTT-4.12.1-1]
			default -> Step.violation("AUTH " + ReasonCode.describe(auth.reasonCode(), 15) + " from the server");
		};
	}

	/** [MQTT-4.12.0-3]: the client answers a challenge with AUTH 0x18. */
	private Step challenged(Auth auth) {
		byte[] data;
		try {
			data = this.authenticator.onChallenge(auth.properties().authenticationData());
		}
		catch (RuntimeException ex) {
			MqttException failure = new MqttException("The authenticator failed on the server's challenge: " + ex, ex);
			failReauthentication(failure);
			return new Step(null, failure.getMessage(), ReasonCode.UNSPECIFIED_ERROR);
		}
		return new Step(auth(ReasonCode.CONTINUE_AUTHENTICATION, data), null, 0);
	}

	/**
	 * Starts a re-authentication [MQTT-4.12.1-1]: AUTH 0x19 with the method and the
	 * initial data.
	 * @param done completes when the server's AUTH 0x00 comes, fails when the connection
	 * ends first
	 * @return the AUTH to send
	 * @throws MqttException when the client has no authenticator or a re-authentication
	 * is under way
	 */
	Auth reauthenticate(CompletableFuture<Void> done) {
		if (this.authenticator == null) {
			// [MQTT-4.12.0-7]: no Authentication Method in CONNECT, no AUTH from the
			// client
			throw new MqttException("Re-authentication needs an authenticator (Builder.authenticator) on MQTT 5");
		}
		if (this.reauthentication != null) {
			throw new MqttException("A re-authentication is under way already");
		}
		Auth auth = auth(ReasonCode.REAUTHENTICATE, this.authenticator.initialData());
		this.reauthentication = done;
		return auth;
	}

	/** The connection ended: a re-authentication under way fails with {@code cause}. */
	void failReauthentication(MqttException cause) {
		CompletableFuture<Void> done = this.reauthentication;
		this.reauthentication = null;
		if (done != null) {
			done.completeExceptionally(cause);
		}
	}

	private Auth auth(int reasonCode, byte @Nullable [] data) {
		PacketPropertiesBuilder properties = PacketProperties.builder()
			.authenticationMethod(Objects.requireNonNull(this.authenticator).method());
		if (data != null) {
			properties.authenticationData(Arrays.copyOf(data, data.length));
		}
		return new Auth(reasonCode, properties.build());
	}

	/**
	 * One answer: an AUTH to send, or a protocol error by the server (DISCONNECT with
	 * {@code reasonCode}, then close), or nothing to do.
	 *
	 * @param reply the AUTH to send, or {@code null}
	 * @param violation what went wrong, or {@code null}
	 * @param reasonCode the DISCONNECT's reason code with a violation
	 */
	record Step(@Nullable Auth reply, @Nullable String violation, int reasonCode) {

		static final Step DONE = new Step(null, null, 0);

		static Step violation(String what) {
			return new Step(null, what, ReasonCode.PROTOCOL_ERROR);
		}

	}

}
