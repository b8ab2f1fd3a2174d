package io.umqtt.core.connection;

/**
 * What the end of a connection says about the QoS 1 or 2 PUBLISH written last: whether
 * the broker plainly rejected it. A broker that rejects a PUBLISH (a QoS, topic or size
 * it does not accept) closes the connection right after reading it; a broker that hangs
 * and is killed, or crashes, ends the connection in the same place without having read
 * it. What tells them apart:
 * <ul>
 * <li>the PUBLISH was the last packet written and nothing was read after it, and no
 * PINGREQ was left unanswered (a hung broker stops answering them); and
 * <li>either the connection ended in order (a FIN: the broker's process read everything
 * written, the PUBLISH last, and closed), or the PUBLISH was written while handling
 * packets just read from the broker (a resend right behind the CONNACK, a queued message
 * behind an acknowledgement), so the broker was working a moment before it got it.
 * </ul>
 * A reset (RST: data left unread, as when a stopped broker is killed) after a PUBLISH
 * written at any other moment is no evidence: the message is resent and nothing is
 * counted. On MQTT 5 a server DISCONNECT naming a PUBLISH it does not accept is not a
 * read here: it precedes the close the rejection makes (see {@code Connection}). Event
 * loop only; {@link ChannelWriter} is its only user.
 */
final class CloseEvidence {

	/** The packet id of the last PUBLISH written with nothing read since, else 0. */
	private int lastPublish;

	/** {@link #lastPublish} was written while handling packets just read. */
	private boolean writtenOnRead;

	/** Packets of one read are being handled now. */
	private boolean reading;

	/**
	 * The connection was reset by the peer (an I/O error) rather than closed in order.
	 */
	private boolean reset;

	/** A new connection: nothing written, nothing reset. */
	void attached() {
		this.lastPublish = 0;
		this.writtenOnRead = false;
		this.reset = false;
	}

	/** A packet was read: the broker went on after the last PUBLISH. */
	void read() {
		this.lastPublish = 0;
		this.reading = true;
	}

	/** The packets of a read have been handled. */
	void readComplete() {
		this.reading = false;
	}

	/**
	 * A PUBLISH was written; {@code packetId} 0 for QoS 0, after which the broker's close
	 * blames nothing.
	 */
	void publishWritten(int packetId) {
		this.lastPublish = packetId;
		this.writtenOnRead = this.reading;
	}

	/** The connection failed with an I/O error (a reset, a broken pipe). */
	void reset() {
		this.reset = true;
	}

	/**
	 * The connection is gone.
	 * @param pingUnanswered whether a PINGREQ waited for its PINGRESP
	 * @return the packet id of the PUBLISH the broker plainly rejected, or 0
	 */
	int detached(boolean pingUnanswered) {
		int suspect = (!pingUnanswered && (!this.reset || this.writtenOnRead)) ? this.lastPublish : 0;
		this.lastPublish = 0;
		this.writtenOnRead = false;
		this.reset = false;
		this.reading = false;
		return suspect;
	}

}
