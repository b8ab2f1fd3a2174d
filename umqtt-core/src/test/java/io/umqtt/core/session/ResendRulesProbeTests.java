package io.umqtt.core.session;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;

import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Probes of the outbound resend rules against a simulated broker: random interleavings of
 * publishes, broker reads, acknowledgements, drops without evidence, failed connection
 * attempts, lost sessions and changing Receive Maximums, with a few publishes the broker
 * rejects by closing right after reading them and a few it refuses with an MQTT 5 reason
 * code. After each step: no more QoS 1/2 PUBLISHes unacknowledged on the wire (counting
 * the released QoS 2 messages) than the connection's quota, PUBLISHes in publish order on
 * each connection, DUP exactly on a resend under the same packet id, nothing sent for a
 * message already completed, success only after the broker's acknowledgement, no healthy
 * message failed. At the end, with a healthy network: every publish done, healthy ones
 * delivered, rejected ones failed as rejected, and no state left in flight, queued or
 * isolating.
 */
class ResendRulesProbeTests {

	private static final int MAX_INFLIGHT = 6;

	@Test
	void randomInterleavingsKeepTheResendGuarantees() throws Exception {
		Map<String, Integer> seen = new HashMap<>();
		for (long seed = 1; seed <= 3000; seed++) {
			new Run(seed, false).go().forEach((k, v) -> seen.merge(k, v, Integer::sum));
		}
		System.out.println("randomInterleavingsKeepTheResendGuarantees: " + seen);
		assertCovered(seen);
	}

	@Test
	void randomInterleavingsWithOfflineDropsKeepTheResendGuarantees() throws Exception {
		Map<String, Integer> seen = new HashMap<>();
		for (long seed = 1; seed <= 1500; seed++) {
			new Run(seed, true).go().forEach((k, v) -> seen.merge(k, v, Integer::sum));
		}
		System.out.println("randomInterleavingsWithOfflineDropsKeepTheResendGuarantees: " + seen);
		assertCovered(seen);
	}

	@Test
	void randomInterleavingsWithStoreFailuresAndProcessRestartsKeepTheResendGuarantees() throws Exception {
		Map<String, Integer> seen = new HashMap<>();
		for (long seed = 1; seed <= 1500; seed++) {
			new Run(seed, true, true).go().forEach((k, v) -> seen.merge(k, v, Integer::sum));
		}
		System.out.println("randomInterleavingsWithStoreFailuresAndProcessRestartsKeepTheResendGuarantees: " + seen);
		assertCovered(seen);
	}

	/** The runs went through the sequences they are meant to probe. */
	private static void assertCovered(Map<String, Integer> seen) {
		assertThat(seen).containsKeys("rejected and failed", "refused", "trickled resend", "isolated alone",
				"lost session", "connect failed", "smaller quota with resends pending");
	}

	/** A session store in memory that can fail to record a PUBLISH. */
	static final class FlakyStore implements SessionStore {

		final Map<Integer, SessionStore.Outgoing> outgoing = new LinkedHashMap<>();

		boolean failNext;

		@Override
		public void outgoingSent(int packetId, String topic, int qos, boolean retain, byte[] payload) {
			if (this.failNext) {
				this.failNext = false;
				throw new IllegalStateException("No space left on device");
			}
			this.outgoing.remove(packetId);
			this.outgoing.put(packetId, new SessionStore.Outgoing(packetId, topic, qos, retain, payload, false));
		}

		@Override
		public void outgoingReleased(int packetId) {
			SessionStore.Outgoing was = this.outgoing.get(packetId);
			this.outgoing.put(packetId,
					new SessionStore.Outgoing(packetId, was.topic(), was.qos(), was.retain(), was.payload(), true));
		}

		@Override
		public void outgoingDone(int packetId) {
			this.outgoing.remove(packetId);
		}

		@Override
		public State load() {
			return new State(List.copyOf(this.outgoing.values()), List.of(), List.of());
		}

	}

	static final class Tracked {

		final OutgoingMessage message;

		final int order;

		final boolean poison;

		boolean dropped;

		/** Its publisher went with a process restart (queued, not stored). */
		boolean abandoned;

		/** The packet id it was last written with, and on which session epoch. */
		int writtenPid;

		int writtenEpoch = -1;

		boolean brokerAcked;

		boolean storeFailed;

		boolean doneSeen;

		Tracked(OutgoingMessage message, int order, boolean poison) {
			this.message = message;
			this.order = order;
			this.poison = poison;
		}

	}

	static final class Run {

		final long seed;

		final boolean drops;

		final Random random;

		final FlakyStore store;

		Session session;

		final List<SessionOutput> out = new ArrayList<>();

		final Map<String, Tracked> byTopic = new LinkedHashMap<>();

		final List<String> log = new ArrayList<>();

		// the wire
		boolean connected;

		final ArrayDeque<Packet> toBroker = new ArrayDeque<>();

		final ArrayDeque<Packet> toClient = new ArrayDeque<>();

		int lastPublishWritten;

		// per connection
		int quota;

		int lastOrderOnConnection;

		final Set<Integer> unackedOnConnection = new HashSet<>();

		// across connections of one broker session
		final Set<Integer> released = new HashSet<>();

		int epoch;

		/** The broker's QoS 2 ids awaiting PUBREL. */
		final Set<Integer> brokerQos2 = new HashSet<>();

		final Map<Integer, String> brokerPidTopic = new HashMap<>();

		int published;

		long resentAtConnect;

		int poisons;

		final int attempts;

		Run(long seed, boolean drops) {
			this(seed, drops, false);
		}

		Run(long seed, boolean drops, boolean stored) {
			this.seed = seed;
			this.drops = drops;
			this.random = new Random(seed);
			this.store = stored ? new FlakyStore() : null;
			this.session = stored ? new Session(MAX_INFLIGHT, this.store) : new Session(MAX_INFLIGHT);
			this.attempts = 1 + this.random.nextInt(3);
			this.session.maxPublishAttempts(this.attempts);
		}

		/**
		 * The process restarts: a new session from the store; queued messages are gone.
		 */
		void restart() {
			this.log.add("process restart");
			saw("process restart");
			Session restarted = new Session(MAX_INFLIGHT, this.store);
			restarted.maxPublishAttempts(this.attempts);
			List<OutgoingMessage> restored = restarted.restore(this.store.load());
			Map<String, OutgoingMessage> byTopic = new HashMap<>();
			restored.forEach((m) -> byTopic.put(m.topic(), m));
			for (Map.Entry<String, Tracked> entry : this.byTopic.entrySet()) {
				Tracked was = entry.getValue();
				if (was.message.completion().isDone() || was.abandoned) {
					continue;
				}
				OutgoingMessage message = byTopic.get(entry.getKey());
				if (message == null) {
					was.abandoned = true;
					continue;
				}
				Tracked now = new Tracked(message, was.order, was.poison);
				now.writtenPid = was.writtenPid;
				now.writtenEpoch = was.writtenEpoch;
				now.brokerAcked = was.brokerAcked;
				entry.setValue(now);
			}
			this.session = restarted;
		}

		final Map<String, Integer> seen = new HashMap<>();

		void saw(String what) {
			this.seen.merge(what, 1, Integer::sum);
		}

		Map<String, Integer> go() throws Exception {
			try {
				int steps = 150 + this.random.nextInt(250);
				for (int i = 0; i < steps; i++) {
					step();
					check();
				}
				quiesce();
				return this.seen;
			}
			catch (AssertionError | RuntimeException ex) {
				int from = Math.max(0, this.log.size() - 60);
				throw new AssertionError("seed " + this.seed + " drops=" + this.drops + ": " + ex.getMessage()
						+ "\n  last steps:\n    " + String.join("\n    ", this.log.subList(from, this.log.size())), ex);
			}
		}

		void step() {
			int r = this.random.nextInt(100);
			if (!this.connected) {
				if (r < 20) {
					publish();
				}
				else if (r < 25 && this.drops) {
					dropOldest();
				}
				else if (r < 29 && this.store != null) {
					restart();
				}
				else {
					connect(true);
				}
				return;
			}
			if (r < 20) {
				if (this.store != null && this.random.nextInt(12) == 0) {
					this.store.failNext = true;
				}
				publish();
				if (this.store != null) {
					this.store.failNext = false;
				}
			}
			else if (r < 55) {
				brokerProcess();
			}
			else if (r < 93) {
				clientRead();
			}
			else {
				close(0, "drop");
			}
		}

		void quiesce() {
			for (int round = 0; round < 500; round++) {
				if (!this.connected) {
					connect(false);
					check();
				}
				boolean progress = true;
				while (this.connected && progress) {
					progress = false;
					while (this.connected && !this.toClient.isEmpty()) {
						clientRead();
						check();
						progress = true;
					}
					if (this.connected && !this.toBroker.isEmpty()) {
						brokerProcess();
						check();
						progress = true;
					}
				}
				if (this.connected && this.session.inflightCount() == 0 && this.session.queuedCount() == 0) {
					break;
				}
				if (this.connected) {
					fail("stuck while connected: inflight " + this.session.inflightCount() + ", queued "
							+ this.session.queuedCount() + ", " + internals());
				}
			}
			assertThat(this.session.inflightCount()).as("in flight at the end").isZero();
			assertThat(this.session.queuedCount()).as("queued at the end").isZero();
			for (Tracked tracked : this.byTopic.values()) {
				if (tracked.abandoned) {
					continue;
				}
				assertThat(tracked.message.completion()).as(tracked.message.topic() + " done").isDone();
				if (tracked.poison) {
					assertThat(tracked.message.completion()).as(tracked.message.topic() + " failed")
						.isCompletedExceptionally();
				}
				else if (tracked.message.topic().startsWith("refused")) {
					assertThat(tracked.message.completion()).as(tracked.message.topic() + " refused")
						.isCompletedExceptionally();
				}
				else if (!tracked.dropped && !tracked.abandoned && !tracked.storeFailed) {
					assertThat(tracked.message.completion()).as(tracked.message.topic() + " delivered")
						.isCompletedWithValue(null);
				}
			}
			assertThat(internals()).isEqualTo("isolating=false isolatedLeft=0 alone=null pendingResends=0");
		}

		String internals() {
			try {
				Object outbound = field(this.session, "outbound");
				Object inflight = field(outbound, "inflight");
				return "isolating=" + field(outbound, "isolating") + " isolatedLeft=" + field(outbound, "isolatedLeft")
						+ " alone=" + field(outbound, "alone") + " pendingResends=" + field(inflight, "pendingResends");
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}

		static Object field(Object target, String name) throws ReflectiveOperationException {
			Field field = target.getClass().getDeclaredField(name);
			field.setAccessible(true);
			return field.get(target);
		}

		void publish() {
			boolean poison = this.poisons < 2 && this.random.nextInt(25) == 0;
			int qos = 1 + this.random.nextInt(2);
			boolean refused = !poison && this.random.nextInt(30) == 0;
			String topic = (poison ? "poison" : refused ? "refused" : "m") + this.published;
			OutgoingMessage message = new OutgoingMessage(topic, qos, false, new byte[1]);
			this.byTopic.put(topic, new Tracked(message, this.published, poison));
			this.published++;
			if (poison) {
				this.poisons++;
			}
			this.log.add("publish " + topic + " qos " + qos);
			this.session.publish(message, this.out);
			take();
		}

		void dropOldest() {
			if (this.session.dropOldestQueued(new IllegalStateException("dropped"))) {
				for (Tracked tracked : this.byTopic.values()) {
					if (tracked.message.completion().isCompletedExceptionally() && !tracked.doneSeen
							&& !tracked.dropped) {
						tracked.dropped = true;
						this.log.add("dropped " + tracked.message.topic());
					}
				}
			}
		}

		void connect(boolean randomly) {
			if (randomly && this.random.nextInt(6) == 0) {
				this.log.add("connect failed");
				saw("connect failed");
				this.session.onConnectFailed();
				return;
			}
			boolean lost = randomly && this.random.nextInt(8) == 0;
			this.quota = randomly ? 1 + this.random.nextInt(MAX_INFLIGHT + 2) : 1 + (int) (this.seed % MAX_INFLIGHT);
			int effective = Math.min(this.quota, MAX_INFLIGHT);
			this.quota = effective;
			this.connected = true;
			this.toBroker.clear();
			this.toClient.clear();
			this.lastPublishWritten = 0;
			this.lastOrderOnConnection = -1;
			this.unackedOnConnection.clear();
			if (lost) {
				this.brokerQos2.clear();
				this.brokerPidTopic.clear();
				this.released.clear();
				this.epoch++;
				this.session.onSessionLost();
				saw("lost session");
			}
			this.log.add("connect rm " + this.quota + " sessionPresent " + !lost);
			this.session.serverReceiveMaximum(this.quota);
			int inflight = this.session.inflightCount();
			this.session.onConnected(!lost, this.out);
			this.resentAtConnect = this.out.stream().filter(SessionOutput.Send.class::isInstance).count();
			if (!lost && inflight > this.quota) {
				saw("smaller quota with resends pending");
			}
			take();
		}

		void close(int suspect, String why) {
			this.connected = false;
			this.log.add("close (" + why + ") suspect " + suspect);
			this.session.onDisconnected(suspect, this.out);
			take();
		}

		void brokerProcess() {
			Packet packet = this.toBroker.poll();
			if (packet == null) {
				return;
			}
			if (packet instanceof Publish publish) {
				if (publish.topic().startsWith("poison")) {
					this.log.add("broker rejects " + publish.topic());
					// closes in order right after reading it: evidence when nothing was
					// read since the last PUBLISH written
					close(this.lastPublishWritten, "rejected " + publish.topic());
					return;
				}
				if (publish.topic().startsWith("refused")) {
					// MQTT 5: refused with a reason code, the connection goes on
					this.toClient.add((publish.qos() == 1)
							? new PubAck(publish.packetId(), 0x87, io.umqtt.core.packet.PacketProperties.NONE)
							: new PubRec(publish.packetId(), 0x87, io.umqtt.core.packet.PacketProperties.NONE));
				}
				else if (publish.qos() == 1) {
					this.toClient.add(new PubAck(publish.packetId()));
				}
				else {
					this.brokerQos2.add(publish.packetId());
					this.brokerPidTopic.put(publish.packetId(), publish.topic());
					this.toClient.add(new PubRec(publish.packetId()));
				}
			}
			else if (packet instanceof PubRel rel) {
				this.brokerQos2.remove(rel.packetId());
				this.toClient.add(new PubComp(rel.packetId()));
			}
		}

		void clientRead() {
			Packet packet = this.toClient.poll();
			if (packet == null) {
				return;
			}
			this.lastPublishWritten = 0;
			if (packet instanceof PubAck ack) {
				this.log.add("client reads PUBACK " + ack.packetId());
				this.unackedOnConnection.remove(ack.packetId());
				markAcked(ack.packetId(), 1);
				this.session.onPubAck(ack, this.out);
			}
			else if (packet instanceof PubRec rec) {
				this.log.add("client reads PUBREC " + rec.packetId());
				this.unackedOnConnection.remove(rec.packetId());
				if (rec.reasonCode() < 0x80) {
					this.released.add(rec.packetId());
				}
				markAcked(rec.packetId(), 2);
				this.session.onPubRec(rec, this.out);
			}
			else if (packet instanceof PubComp comp) {
				this.log.add("client reads PUBCOMP " + comp.packetId());
				this.released.remove(comp.packetId());
				this.session.onPubComp(comp, this.out);
			}
			take();
		}

		/** PUBACK, or PUBREC (the broker has it: a lost session completes it). */
		void markAcked(int pid, int qos) {
			for (Tracked tracked : this.byTopic.values()) {
				if (tracked.writtenPid == pid && tracked.writtenEpoch == this.epoch && !tracked.doneSeen
						&& tracked.message.qos() == qos) {
					tracked.brokerAcked = true;
				}
			}
		}

		void take() {
			for (SessionOutput output : this.out) {
				Packet packet;
				if (output instanceof OutgoingMessage message) {
					packet = message.nextPacket();
				}
				else if (output instanceof SessionOutput.Send send) {
					packet = send.packet();
				}
				else {
					continue;
				}
				if (!this.connected) {
					fail("wrote " + packet + " while not connected");
				}
				written(packet);
			}
			this.out.clear();
		}

		void written(Packet packet) {
			if (packet instanceof Publish publish) {
				Tracked tracked = this.byTopic.get(publish.topic());
				this.log.add("client writes " + publish.topic() + " pid " + publish.packetId()
						+ (publish.dup() ? " dup" : ""));
				assertThat(tracked.message.completion()).as("PUBLISH of a completed message " + publish.topic())
					.isNotDone();
				boolean resend = tracked.writtenPid == publish.packetId() && tracked.writtenEpoch == this.epoch;
				assertThat(publish.dup()).as("DUP of " + publish.topic()).isEqualTo(resend);
				assertThat(tracked.order).as("order on the connection of " + publish.topic())
					.isGreaterThan(this.lastOrderOnConnection);
				this.lastOrderOnConnection = tracked.order;
				if (resend) {
					saw(internals().contains("alone=null") ? "resend" : "isolated alone");
					if (this.lastPublishWritten == 0 && this.resentAtConnect > 0) {
						saw("trickled resend");
					}
				}
				tracked.writtenPid = publish.packetId();
				tracked.writtenEpoch = this.epoch;
				this.unackedOnConnection.add(publish.packetId());
				assertThat(this.unackedOnConnection.size() + this.released.size())
					.as("PUBLISHes unacknowledged + released on the wire, quota " + this.quota)
					.isLessThanOrEqualTo(this.quota);
				this.lastPublishWritten = publish.packetId();
			}
			else {
				this.log.add("client writes " + packet.getClass().getSimpleName()
						+ ((packet instanceof PubRel rel) ? " " + rel.packetId() : ""));
			}
			this.toBroker.add(packet);
		}

		void check() {
			for (Tracked tracked : this.byTopic.values()) {
				if (tracked.doneSeen || !tracked.message.completion().isDone()) {
					continue;
				}
				tracked.doneSeen = true;
				if (tracked.message.completion().isCompletedExceptionally()) {
					String cause;
					try {
						tracked.message.completion().join();
						cause = "?";
					}
					catch (CompletionException ex) {
						cause = String.valueOf(ex.getCause());
					}
					this.log.add("failed " + tracked.message.topic() + ": " + cause);
					if (tracked.message.topic().startsWith("refused") && !tracked.dropped
							&& !cause.contains("session store could not record")) {
						assertThat(cause).contains("The server refused the PUBLISH");
						saw("refused");
					}
					else if (cause.contains("session store could not record")) {
						tracked.storeFailed = true;
						saw("store failed");
					}
					else if (!tracked.poison && !tracked.dropped) {
						fail("healthy " + tracked.message.topic() + " failed: " + cause);
					}
					if (tracked.poison && !tracked.dropped && !tracked.storeFailed) {
						assertThat(cause).contains("rejects");
						saw("rejected and failed");
					}
				}
				else {
					this.log.add("completed " + tracked.message.topic());
					assertThat(tracked.poison).as("poison " + tracked.message.topic() + " completed").isFalse();
					assertThat(tracked.brokerAcked).as("completed before acknowledgement: " + tracked.message.topic())
						.isTrue();
				}
			}
		}

	}

}
