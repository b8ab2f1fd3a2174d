package io.umqtt.core.session;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.umqtt.core.MqttException;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The session's store failure policy, without a socket: what could not be recorded is not
 * sent (and fails with the store's reason), progress the broker made is not undone, and
 * every failure is reported.
 */
class SessionStoreFailureTests {

	private final List<String> failures = new ArrayList<>();

	private boolean failing;

	private final SessionStore store = new SessionStore() {

		@Override
		public void outgoingSent(int packetId, String topic, int qos, boolean retain, byte[] payload) {
			fail();
		}

		@Override
		public void outgoingDone(int packetId) {
			fail();
		}

		@Override
		public void incomingReceived(int packetId) {
			fail();
		}

		@Override
		public void incomingReleased(int packetId) {
			fail();
		}

		@Override
		public State load() {
			return State.EMPTY;
		}

	};

	private void fail() {
		if (this.failing) {
			throw new UncheckedIOException(new java.io.IOException("No space left on device"));
		}
	}

	private SessionDriver session() {
		SessionDriver session = new SessionDriver(new Session(1, this.store));
		session.onStoreFailure((what, failure) -> this.failures.add(what + ": " + failure.getMessage()));
		session.onConnected(false);
		return session;
	}

	@Test
	void aPublishTheStoreCannotRecordFailsAndGivesItsPacketIdAndWindowRoomBack() {
		SessionDriver session = session();
		this.failing = true;
		OutgoingMessage first = new OutgoingMessage("t", 1, false, new byte[] { 1 });
		List<SessionOutput> out = new ArrayList<>();
		session.session().publish(first, out);
		assertThat(out).isEmpty();
		assertThat(first.completion()).isCompletedExceptionally();
		assertThatThrownBy(first.completion()::join).cause()
			.isInstanceOf(MqttException.class)
			.hasMessageContaining("not sent");
		assertThat(session.inflightCount()).isZero();
		assertThat(this.failures).singleElement().asString().contains("No space left on device");
		assertThat(session.storeWorks()).isFalse();

		this.failing = false;
		OutgoingMessage second = new OutgoingMessage("t", 1, false, new byte[] { 2 });
		session.session().publish(second, out);
		// the window of one has room again
		assertThat(out).containsExactly(second);
		assertThat(second.packetId()).isPositive();
		assertThat(session.storeWorks()).isTrue();
	}

	@Test
	void anAcknowledgementTheStoreCannotRecordStillCompletesThePublish() {
		SessionDriver session = session();
		OutgoingMessage message = new OutgoingMessage("t", 1, false, new byte[] { 1 });
		session.publish(message);
		this.failing = true;
		session.onPubAck(new PubAck(message.packetId()));
		assertThat(session.others()).isEmpty();
		assertThat(message.completion()).isCompleted().isNotCompletedExceptionally();
		assertThat(session.inflightCount()).isZero();
		assertThat(this.failures).hasSize(1);
	}

	@Test
	void aReceivedQos2MessageTheStoreCannotRecordIsNeitherDeliveredNorAcknowledged() {
		SessionDriver session = session();
		this.failing = true;
		ByteBuf payload = Unpooled.wrappedBuffer(new byte[] { 7 });
		SessionDriver.Receipt receipt = session.onPublish(new Publish("t", 2, false, false, 9, payload));
		// no delivery: the connection releases the payload, and the broker resends on the
		// next connection
		assertThat(receipt.delivery()).isNull();
		assertThat(receipt.reply()).isEmpty();
		assertThat(session.receivedQos2Count()).isZero();
		assertThat(this.failures).singleElement().asString().contains("received QoS 2");
		this.failing = false;
		assertThat(session.onPublish(new Publish("t", 2, false, true, 9, payload)).delivery()).isNotNull();
		assertThat(session.onPubRel(new PubRel(9))).hasSize(1);
	}

	@Test
	void aPublishWhoseConnectionsKeepClosingBeforeItsAckFailsAfterTheAttemptsAllowed() {
		SessionDriver session = new SessionDriver(new Session(10));
		session.maxPublishAttempts(2);
		session.onConnected(false);
		OutgoingMessage acked = new OutgoingMessage("ok", 1, false, new byte[0]);
		OutgoingMessage poison = new OutgoingMessage("poison", 1, false, new byte[0]);
		OutgoingMessage behind = new OutgoingMessage("behind", 1, false, new byte[0]);
		session.publish(acked);
		session.publish(poison);
		session.publish(behind);
		session.onPubAck(new PubAck(acked.packetId()));
		// a close right after the PUBLISH with another one in flight blames neither: both
		// go again one at a time, the oldest first
		assertThat(session.onDisconnected(poison.packetId())).isNull();
		assertThat(session.onConnected(true)).singleElement()
			.satisfies((p) -> assertThat(((Publish) p).packetId()).isEqualTo(poison.packetId()));
		assertThat(session.givenUp()).isNull();
		// sent alone, a close right after it is suspected; the next connection accepted
		// at once counts it
		assertThat(session.onDisconnected(poison.packetId())).isNull();
		assertThat(session.onConnected(true)).hasSize(1);
		assertThat(session.givenUp()).isNull();
		// closes that blame nothing (a keep-alive timeout, the client's own close) do not
		// count
		assertThat(session.onDisconnected()).isNull();
		session.onConnected(true);
		assertThat(session.givenUp()).isNull();
		// nor does a suspected close followed by a failed attempt (a broker killed and
		// restarting)
		assertThat(session.onDisconnected(poison.packetId())).isNull();
		session.onConnectFailed();
		session.onConnected(true);
		assertThat(session.givenUp()).isNull();
		assertThat(poison.completion()).isNotDone();
		// nor one after which the broker has lost the session (it restarted)
		assertThat(session.onDisconnected(poison.packetId())).isNull();
		session.onSessionLost();
		session.onConnected(true);
		assertThat(session.givenUp()).isNull();
		assertThat(session.onDisconnected(poison.packetId())).isNull();
		List<Packet> resent = session.onConnected(true);
		assertThat(session.givenUp()).isSameAs(poison);
		assertThatThrownBy(poison.completion()::join).cause().hasMessageContaining("closed 2 times");
		// only the suspected one is counted, and not sent again; the one behind it goes
		// again, alone
		assertThat(resent).singleElement()
			.satisfies((p) -> assertThat(((Publish) p).packetId()).isEqualTo(behind.packetId()));
		assertThat(behind.completion()).isNotDone();
		assertThat(session.inflightCount()).isEqualTo(1);
		session.onPubAck(new PubAck(behind.packetId()));
		assertThat(session.others()).as("no unexpected acknowledgement").isEmpty();
		assertThat(behind.completion()).isCompleted();
	}

}
