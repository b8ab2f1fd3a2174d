package io.umqtt.benchmarks.jmh;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.session.OutgoingMessage;
import io.umqtt.core.session.Session;
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
 * The session's cost per message: a QoS 1 publish through PUBACK, and a QoS 2 publish through
 * PUBREC and PUBCOMP, with no I/O.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Dio.netty.leakDetection.level=disabled" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SessionBenchmark {

	private final ByteBuf payload = Unpooled.directBuffer(64).writeZero(64);

	private Session session;

	@Setup
	public void setUp() {
		this.session = new Session(1000);
		this.session.onConnected(false);
	}

	@Benchmark
	public void qos1PublishToPubAck(Blackhole blackhole) {
		int id = send(1, blackhole);
		blackhole.consume(this.session.onPubAck(new PubAck(id)));
	}

	@Benchmark
	public void qos2PublishToPubComp(Blackhole blackhole) {
		int id = send(2, blackhole);
		blackhole.consume(this.session.onPubRec(new PubRec(id)));
		blackhole.consume(this.session.onPubComp(new PubComp(id)));
	}

	private int send(int qos, Blackhole blackhole) {
		OutgoingMessage message = new OutgoingMessage(Wire.TOPIC, qos, false, this.payload.retainedDuplicate(),
				new CompletableFuture<>());
		List<Packet> sent = this.session.publish(message);
		Publish publish = (Publish) sent.get(0);
		publish.payload().release();
		blackhole.consume(message);
		return publish.packetId();
	}

}
