package io.umqtt.core.connection;

import java.time.Duration;
import java.util.List;

import io.umqtt.core.MqttAuthenticator;
import io.umqtt.core.ServerLimits;
import io.umqtt.core.UserProperty;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PacketPropertiesBuilder;
import org.jspecify.annotations.Nullable;

/**
 * What a client built for MQTT 5 sends in CONNECT beyond 3.1.1: the Builder's MQTT 5
 * settings, each checked when set.
 *
 * @param sessionExpiry how long the server keeps the session after the connection ends;
 * zero ends it with the connection, {@code 0xFFFFFFFF} seconds means never
 * @param receiveMaximum how many QoS 1 and 2 publishes the server may have in flight to
 * the client, 1 to 65,535
 * @param topicAliasMaximum the highest topic alias the client accepts, 0 for none
 * @param topicAliases whether the client assigns outbound topic aliases
 * @param requestResponseInformation whether CONNACK should carry Response Information
 * @param userProperties the CONNECT user properties, in order
 * @param authenticator enhanced authentication, or {@code null}
 */
public record Mqtt5Options(Duration sessionExpiry, int receiveMaximum, int topicAliasMaximum, boolean topicAliases,
		boolean requestResponseInformation, List<UserProperty> userProperties,
		@Nullable MqttAuthenticator authenticator) {

	/** The defaults: no session expiry, Receive Maximum 65,535, no inbound aliases. */
	public static final Mqtt5Options DEFAULTS = new Mqtt5Options(Duration.ZERO, 65_535, 0, true, false, List.of(),
			null);

	public Mqtt5Options {
		userProperties = List.copyOf(userProperties);
	}

	/** The session expiry interval in seconds, as CONNECT carries it. */
	public long sessionExpirySeconds() {
		return Math.min(this.sessionExpiry.getSeconds(), 0xFFFF_FFFFL);
	}

	/**
	 * The CONNECT properties: Session Expiry Interval, Receive Maximum, Maximum Packet
	 * Size, Topic Alias Maximum and Request Response Information where they differ from
	 * the protocol's defaults, then the user properties and the authentication method and
	 * data.
	 * @param maxPacketSize the client's inbound limit, sent as Maximum Packet Size
	 * @return the properties
	 */
	public PacketProperties connectProperties(int maxPacketSize) {
		PacketPropertiesBuilder builder = PacketProperties.builder().maximumPacketSize(maxPacketSize);
		if (sessionExpirySeconds() != 0) {
			builder.sessionExpiryInterval(sessionExpirySeconds());
		}
		if (this.receiveMaximum != 65_535) {
			builder.receiveMaximum(this.receiveMaximum);
		}
		if (this.topicAliasMaximum != 0) {
			builder.topicAliasMaximum(this.topicAliasMaximum);
		}
		if (this.requestResponseInformation) {
			builder.requestResponseInformation(1);
		}
		builder.userProperties(this.userProperties);
		if (this.authenticator != null) {
			builder.authenticationMethod(this.authenticator.method());
			byte[] data = this.authenticator.initialData();
			if (data != null) {
				builder.authenticationData(data);
			}
		}
		return builder.build();
	}

	/**
	 * What a CONNACK's properties announce, with the protocol's defaults for what they
	 * leave out [MQTT-3.2.2.3].
	 * @param properties the CONNACK properties
	 * @return the limits
	 */
	public static ServerLimits serverLimits(PacketProperties properties) {
		int receiveMaximum = properties.receiveMaximum();
		int maximumQos = properties.maximumQos();
		long maximumPacketSize = properties.maximumPacketSize();
		int topicAliasMaximum = properties.topicAliasMaximum();
		int keepAlive = properties.serverKeepAlive();
		return new ServerLimits((receiveMaximum == PacketProperties.ABSENT) ? 65_535 : receiveMaximum,
				(maximumQos == PacketProperties.ABSENT) ? 2 : maximumQos, flag(properties.retainAvailable()),
				(maximumPacketSize == PacketProperties.ABSENT) ? 0 : maximumPacketSize,
				(topicAliasMaximum == PacketProperties.ABSENT) ? 0 : topicAliasMaximum,
				flag(properties.wildcardSubscriptionAvailable()), flag(properties.subscriptionIdentifierAvailable()),
				flag(properties.sharedSubscriptionAvailable()),
				(keepAlive == PacketProperties.ABSENT) ? null : Duration.ofSeconds(keepAlive),
				properties.responseInformation());
	}

	private static boolean flag(int value) {
		return value != 0;
	}

}
