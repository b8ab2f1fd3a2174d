package io.umqtt.core.connection;

import io.umqtt.core.MqttException;
import io.umqtt.core.ServerLimits;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.netty.OutboundTopicAliases;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.Will;
import org.jspecify.annotations.Nullable;

/**
 * The CONNECT/CONNACK exchange: the CONNECT of each attempt (with the will set last), the
 * refusal a CONNACK stands for, and what an accepted one says: the server's limits and
 * assigned identifier on MQTT 5, the keep-alive in force, and whether the broker lost the
 * session it kept. Written on the event loop; the server's facts are read by any thread.
 */
final class Handshake {

	private final ClientConfig config;

	private @Nullable Will will;

	/** What the server of the last MQTT 5 connection announced. */
	private volatile ServerLimits serverLimits = ServerLimits.DEFAULTS;

	private volatile @Nullable String assignedClientId;

	/**
	 * The broker holds a session for this client: the last connection accepted asked to
	 * keep it. A CONNACK without it after that means the broker lost it.
	 */
	private boolean brokerKeepsSession;

	Handshake(ClientConfig config) {
		this.config = config;
	}

	void will(@Nullable Will will) {
		this.will = will;
	}

	ServerLimits serverLimits() {
		return this.serverLimits;
	}

	@Nullable String assignedClientId() {
		return this.assignedClientId;
	}

	/**
	 * The CONNECT of an attempt.
	 * @throws IllegalArgumentException when it cannot be encoded (final: every retry
	 * would fail alike)
	 */
	Connect connect(boolean cleanSession) {
		Connect connect = new Connect(this.config.protocolLevel(), cleanSession, this.config.keepalive(),
				this.config.clientId(), this.will, this.config.user(), this.config.password(), this.config.isMqtt5()
						? this.config.mqtt5().connectProperties(this.config.maxPacketSize()) : PacketProperties.NONE);
		PacketEncoder.checkConnect(connect);
		return connect;
	}

	/** The failure a refusing CONNACK stands for; the reason string masked. */
	MqttException refusal(ConnAck ack) {
		if (!this.config.isMqtt5()) {
			return MqttException.refused(ack.returnCode());
		}
		String reason = ack.properties().reasonString();
		return MqttException.refused5(ack.reasonCode(), (reason != null) ? this.config.masked(reason) : null);
	}

	/**
	 * Takes in an accepted CONNACK.
	 * @return the keep-alive in force, in seconds: on MQTT 5 the server's when it sent
	 * one [MQTT-3.2.2-21]
	 */
	int accepted(ConnAck ack) {
		if (!this.config.isMqtt5()) {
			return this.config.keepalive();
		}
		ServerLimits limits = Mqtt5Options.serverLimits(ack.properties());
		this.serverLimits = limits;
		this.assignedClientId = ack.properties().assignedClientIdentifier();
		return (limits.serverKeepAlive() != null) ? (int) limits.serverKeepAlive().getSeconds()
				: this.config.keepalive();
	}

	/**
	 * MQTT 5: the outbound Topic Aliases of the connection just accepted, up to the
	 * server's Topic Alias Maximum; {@code null} when the client assigns none or the
	 * server accepts none.
	 */
	@Nullable OutboundTopicAliases outboundAliases() {
		int maximum = this.serverLimits.topicAliasMaximum();
		return (this.config.isMqtt5() && this.config.mqtt5().topicAliases() && maximum > 0)
				? new OutboundTopicAliases(maximum) : null;
	}

	/**
	 * Whether the broker lost the session it kept (it restarted: the close before
	 * rejected nothing); remembers whether it keeps this one.
	 */
	boolean brokerKeepsSession() {
		return this.brokerKeepsSession;
	}

	boolean sessionLost(boolean cleanSession, ConnAck ack) {
		boolean lost = this.brokerKeepsSession && !cleanSession && !ack.sessionPresent();
		this.brokerKeepsSession = SessionExpiry.outlivesConnection(this.config, cleanSession, ack);
		return lost;
	}

}
