package io.umqtt.core.connection;

import io.netty.channel.Channel;
import io.umqtt.core.ReasonCode;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.Publish;
import org.jspecify.annotations.Nullable;

/**
 * MQTT 5: what a received PUBLISH must pass before it is handed on: the client's Receive
 * Maximum ({@link InboundQuota}) and the server's Topic Aliases, resolved to their
 * topics. Nothing to check on 3.1.1. Event loop only.
 */
final class InboundChecks {

	/** Ends the connection for a protocol error with DISCONNECT {@code reasonCode}. */
	interface ProtocolError {

		void close(Channel ch, int reasonCode, String what);

	}

	/** The client's Receive Maximum; {@code null} on 3.1.1. */
	private final @Nullable InboundQuota quota;

	private final int aliasMaximum;

	private final ProtocolError error;

	/**
	 * The topics of the server's Topic Aliases on this connection, by alias; {@code null}
	 * when the client accepts none.
	 */
	private @Nullable String[] aliases;

	InboundChecks(ClientConfig config, @Nullable InboundQuota quota, ProtocolError error) {
		this.quota = quota;
		this.aliasMaximum = config.isMqtt5() ? config.mqtt5().topicAliasMaximum() : 0;
		this.error = error;
	}

	/** A connection was accepted: aliases are per connection [MQTT-3.3.2-7]. */
	void accepted() {
		this.aliases = (this.aliasMaximum > 0) ? new String[this.aliasMaximum + 1] : null;
	}

	/**
	 * The PUBLISH to hand on, its Topic Alias resolved; {@code null} when it broke a rule
	 * (its payload released, the connection closing).
	 */
	@Nullable Publish admit(Channel ch, Publish publish) {
		if (this.quota != null && this.quota.exceededBy(publish)) {
			publish.payload().release();
			this.error.close(ch, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "More than the client's Receive Maximum of "
					+ this.quota.receiveMaximum() + " QoS 1/2 PUBLISHes unacknowledged [MQTT-3.3.4-9]");
			return null;
		}
		if (this.aliases != null && publish.properties().topicAlias() != PacketProperties.ABSENT) {
			return resolveAlias(ch, publish, this.aliases);
		}
		return publish;
	}

	/**
	 * The PUBLISH with the topic its Topic Alias stands for, the alias learned when the
	 * PUBLISH names a topic; {@code null}, closing with DISCONNECT 0x94 or 0x82, for an
	 * alias above our maximum or one not yet set.
	 */
	private @Nullable Publish resolveAlias(Channel ch, Publish publish, String[] known) {
		int alias = publish.properties().topicAlias();
		if (alias > known.length - 1) {
			publish.payload().release();
			this.error.close(ch, ReasonCode.TOPIC_ALIAS_INVALID, "Topic Alias " + alias + " is above the maximum of "
					+ (known.length - 1) + " the client announced [MQTT-3.3.2-11]");
			return null;
		}
		if (!publish.topic().isEmpty()) {
			known[alias] = publish.topic();
			return publish;
		}
		String topic = known[alias];
		if (topic == null) {
			publish.payload().release();
			this.error.close(ch, ReasonCode.PROTOCOL_ERROR, "Topic Alias " + alias + " not set on this connection");
			return null;
		}
		return new Publish(topic, publish.qos(), publish.retain(), publish.dup(), publish.packetId(), publish.payload(),
				publish.properties());
	}

}
