package io.umqtt.benchmarks.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.session.Session;
import io.umqtt.core.session.SessionOutput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The session's cost per message: a QoS 1 publish through PUBACK, and a QoS 2 publish
 * through PUBREC and PUBCOMP, with no I/O.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Dio.netty.leakDetection.level=disabled" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SessionBenchmark {

	private final byte[] payload = new byte[64];

	/** Reused for what the session sends, as the connection does. */
	private final List<SessionOutput> out = new ArrayList<>();

	private Session session;

	@Setup
	public void setUp() {
		this.session = new Session(1000);
		this.session.onConnected(false, this.out);
		this.out.clear();
	}

	@Benchmark
	public void qos1PublishToPubAck(Blackhole blackhole) {
		int id = send(1, blackhole);
		this.session.onPubAck(new PubAck(id), this.out);
		blackhole.consume(this.out);
		this.out.clear();
	}

	@Benchmark
	public void qos2PublishToPubComp(Blackhole blackhole) {
		int id = send(2, blackhole);
		this.session.onPubRec(new PubRec(id), this.out);
		blackhole.consume(this.out.get(0));
		this.out.clear();
		this.session.onPubComp(new PubComp(id), this.out);
		blackhole.consume(this.out);
		this.out.clear();
	}

	private int send(int qos, Blackhole blackhole) {
		OutgoingMessage message = new OutgoingMessage(Wire.TOPIC, qos, false, this.payload);
		this.session.publish(message, this.out);
		// the message itself stands for its first PUBLISH
		OutgoingMessage sent = (OutgoingMessage) this.out.get(0);
		this.out.clear();
		blackhole.consume(sent);
		return sent.packetId();
	}

}
