package io.umqtt.core.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.umqtt.core.session.InboundDelivery;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.session.SessionOutput;

/**
 * Carries out what a session event asked for ({@link SessionOutput}), in order: writes
 * through the {@link ChannelWriter} (dropped while no connection is up; the session sends
 * again on the next), received messages into the {@link Inbox}, answers to
 * {@link Requests}, unexpected acknowledgements to the {@link Outbox}'s count. One list,
 * reused for every event; event loop only.
 */
final class SessionOutputs {

	private final ChannelWriter writer;

	private final List<SessionOutput> scratch = new ArrayList<>(8);

	private Inbox inbox;

	private Outbox outbox;

	private Requests requests;

	private Consumer<OutgoingMessage> gaveUp;

	SessionOutputs(ChannelWriter writer) {
		this.writer = writer;
	}

	/** Wires the parts that take outputs; once, before the first event. */
	void wire(Inbox inbox, Outbox outbox, Requests requests, Consumer<OutgoingMessage> gaveUp) {
		this.inbox = inbox;
		this.outbox = outbox;
		this.requests = requests;
		this.gaveUp = gaveUp;
	}

	/** The list the next session event appends to. */
	List<SessionOutput> scratch() {
		return this.scratch;
	}

	/** Does what the last session event asked for, and empties the list. */
	void carryOut() {
		boolean writing = this.writer.attached();
		for (int i = 0; i < this.scratch.size(); i++) {
			SessionOutput output = this.scratch.get(i);
			// every permitted type, the frequent first (a pattern switch once the build
			// is on Java 21)
			if (output instanceof OutgoingMessage message) {
				if (writing) {
					this.writer.send(message);
				}
			}
			else if (output instanceof SessionOutput.Send send) {
				if (writing) {
					this.writer.send(send.packet());
				}
			}
			else if (output instanceof InboundDelivery delivery) {
				this.inbox.deliver(delivery);
			}
			else if (output instanceof SessionOutput.Discard discard) {
				discard.publish().payload().release();
			}
			else if (output instanceof SessionOutput.Unexpected ack) {
				this.outbox.unexpectedAck(ack.packetType(), ack.packetId());
			}
			else if (output instanceof SessionOutput.Subscribed answer) {
				this.requests.subscribed(answer.request(), answer.ack());
			}
			else if (output instanceof SessionOutput.Unsubscribed answer) {
				this.requests.unsubscribed(answer.request(), answer.ack());
			}
			else if (output instanceof SessionOutput.GivenUp givenUp) {
				this.gaveUp.accept(givenUp.message());
			}
		}
		this.scratch.clear();
	}

}
