package io.umqtt.core.session;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.netty.buffer.Unpooled;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.store.FileSessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A received QoS 2 message recorded in a {@link FileSessionStore} by a process that ended
 * before its application handled it: the next process delivers it exactly once (from the
 * broker's resend), and PUBREC goes out only after that delivery.
 */
class RestoredQos2Tests {

	@TempDir
	Path directory;

	private FileSessionStore open() {
		return new FileSessionStore(this.directory, "restored-qos2", FileSessionStore.FsyncPolicy.ALWAYS);
	}

	private static Publish inbound(int id, boolean dup) {
		return new Publish("in", 2, false, dup, id, Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
	}

	/** A process that recorded the PUBLISH and ended before its listener ran. */
	private void receiveAndDieBeforeDelivery(int id) {
		try (FileSessionStore store = open()) {
			SessionDriver first = new SessionDriver(new Session(10, store));
			first.onConnected(false);
			SessionDriver.Receipt receipt = first.onPublish(inbound(id, false));
			assertThat(receipt.delivery()).isNotNull();
			assertThat(receipt.reply()).isEmpty();
			receipt.delivery().publish().payload().release();
			// never handed back: the process is gone before the application saw the
			// message
		}
	}

	@Test
	void aStoredButUndeliveredQos2MessageIsDeliveredOnceFromTheResendAfterARestart() {
		receiveAndDieBeforeDelivery(5);
		try (FileSessionStore store = open()) {
			SessionDriver second = new SessionDriver(new Session(10, store));
			second.restore(store.load());
			assertThat(second.onConnected(true)).isEmpty();
			SessionDriver.Receipt resend = second.onPublish(inbound(5, true));
			assertThat(resend.delivery()).as("the broker's resend is delivered").isNotNull();
			assertThat(resend.reply()).as("no PUBREC before the application handled it").isEmpty();
			resend.delivery().publish().payload().release();
			assertThat(second.onDelivered(resend.delivery())).containsExactly(new PubRec(5));
			// a further resend (the PUBREC crossed it) is answered, never delivered a
			// second time
			SessionDriver.Receipt again = second.onPublish(inbound(5, true));
			assertThat(again.delivery()).isNull();
			assertThat(again.reply()).containsExactly(new PubRec(5));
			assertThat(second.onPubRel(new PubRel(5))).containsExactly(new PubComp(5));
			assertThat(store.load().isEmpty()).isTrue();
		}
	}

	@Test
	void aStoredButUndeliveredQos2MessageSurvivesASecondRestartBeforeItsResend() {
		receiveAndDieBeforeDelivery(6);
		try (FileSessionStore store = open()) {
			// restored, then ended again before the broker resent it
			new SessionDriver(new Session(10, store)).restore(store.load());
		}
		try (FileSessionStore store = open()) {
			SessionDriver third = new SessionDriver(new Session(10, store));
			third.restore(store.load());
			third.onConnected(true);
			SessionDriver.Receipt resend = third.onPublish(inbound(6, true));
			assertThat(resend.delivery()).isNotNull();
			resend.delivery().publish().payload().release();
			assertThat(third.onDelivered(resend.delivery())).containsExactly(new PubRec(6));
		}
	}

	@Test
	void aQos2MessageDeliveredBeforeTheRestartIsAnsweredAndNotDeliveredAgain() {
		try (FileSessionStore store = open()) {
			SessionDriver first = new SessionDriver(new Session(10, store));
			first.onConnected(false);
			SessionDriver.Receipt receipt = first.onPublish(inbound(7, false));
			receipt.delivery().publish().payload().release();
			assertThat(first.onDelivered(receipt.delivery())).containsExactly(new PubRec(7));
		}
		try (FileSessionStore store = open()) {
			SessionDriver second = new SessionDriver(new Session(10, store));
			second.restore(store.load());
			second.onConnected(true);
			Publish resent = inbound(7, true);
			SessionDriver.Receipt receipt = second.onPublish(resent);
			assertThat(receipt.delivery()).isNull();
			assertThat(receipt.reply()).containsExactly(new PubRec(7));
			resent.payload().release();
		}
	}

	@Test
	void aQos2DeliveryThatOutlivesItsConnectionIsAcknowledgedOnTheNextOneWhenItEnds() {
		SessionDriver session = new SessionDriver(new Session(10));
		session.onConnected(true);
		SessionDriver.Receipt receipt = session.onPublish(inbound(8, false));
		receipt.delivery().publish().payload().release();
		session.onDisconnected();
		session.onConnected(true);
		// the broker's resend while the application still handles the first copy: not
		// delivered twice
		Publish resent = inbound(8, true);
		SessionDriver.Receipt resend = session.onPublish(resent);
		resent.payload().release();
		assertThat(resend.delivery()).isNull();
		assertThat(resend.reply()).isEmpty();
		// once handled, the PUBREC goes out on the connection now up, not after yet
		// another reconnect
		assertThat(session.onDelivered(receipt.delivery())).containsExactly(new PubRec(8));
	}

}
