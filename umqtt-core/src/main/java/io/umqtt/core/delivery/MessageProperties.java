package io.umqtt.core.delivery;

import java.time.Duration;
import java.util.List;

import io.umqtt.core.MqttProperties;
import io.umqtt.core.UserProperty;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PacketPropertiesBuilder;

/**
 * Maps an application message's {@link MqttProperties} to the PUBLISH properties on the
 * wire and back. Stateless.
 */
final class MessageProperties {

	private MessageProperties() {
	}

	/**
	 * The PUBLISH properties a client sends for {@code properties}.
	 * @param properties what the application set
	 * @return the packet's properties, {@link PacketProperties#NONE} for none
	 * @throws IllegalArgumentException when they carry a subscription identifier, which
	 * only a server sends [MQTT-3.3.4-6]
	 */
	static PacketProperties toPublish(MqttProperties properties) {
		if (properties == MqttProperties.NONE || properties.isEmpty()) {
			return PacketProperties.NONE;
		}
		if (!properties.subscriptionIdentifiers().isEmpty()) {
			throw new IllegalArgumentException(
					"A client's PUBLISH must not carry a Subscription Identifier [MQTT-3.3.4-6]");
		}
		return builder(properties).build();
	}

	/**
	 * A builder holding the message properties the application set (PUBLISH and will
	 * alike), for the caller to add what its packet carries besides.
	 * @param properties what the application set
	 * @return a builder with them
	 */
	static PacketPropertiesBuilder builder(MqttProperties properties) {
		PacketPropertiesBuilder builder = PacketProperties.builder();
		if (properties.payloadFormatUtf8()) {
			builder.payloadFormatIndicator(1);
		}
		if (properties.messageExpiry() != null) {
			builder.messageExpiryInterval(properties.messageExpiry().toSeconds());
		}
		builder.contentType(properties.contentType());
		builder.responseTopic(properties.responseTopic());
		builder.correlationData(properties.correlationData());
		List<UserProperty> user = properties.userProperties();
		for (int i = 0; i < user.size(); i++) {
			builder.userProperty(user.get(i).name(), user.get(i).value());
		}
		return builder;
	}

	/**
	 * The properties of a received PUBLISH as the application sees them: a Topic Alias is
	 * the connection's business and left out.
	 * @param properties the packet's properties
	 * @return the message's properties, {@link MqttProperties#NONE} for none
	 */
	static MqttProperties fromPublish(PacketProperties properties) {
		if (properties == PacketProperties.NONE) {
			return MqttProperties.NONE;
		}
		MqttProperties.Builder builder = MqttProperties.builder();
		boolean any = false;
		if (properties.payloadFormatIndicator() == 1) {
			builder.payloadFormatUtf8(true);
			any = true;
		}
		if (properties.messageExpiryInterval() != PacketProperties.ABSENT) {
			builder.messageExpiry(Duration.ofSeconds(properties.messageExpiryInterval()));
			any = true;
		}
		if (properties.contentType() != null) {
			builder.contentType(properties.contentType());
			any = true;
		}
		if (properties.responseTopic() != null) {
			builder.responseTopic(properties.responseTopic());
			any = true;
		}
		if (properties.correlationData() != null) {
			builder.correlationData(properties.correlationData());
			any = true;
		}
		List<UserProperty> user = properties.userProperties();
		for (int i = 0; i < user.size(); i++) {
			builder.userProperty(user.get(i).name(), user.get(i).value());
			any = true;
		}
		List<Integer> identifiers = properties.subscriptionIdentifiers();
		for (int i = 0; i < identifiers.size(); i++) {
			builder.subscriptionIdentifier(identifiers.get(i));
			any = true;
		}
		return any ? builder.build() : MqttProperties.NONE;
	}

}
