package io.umqtt.benchmarks.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.umqtt.core.codec.PacketDecoder;
import io.umqtt.core.codec.PacketEncoder;
import io.umqtt.core.netty.MqttDecoderHandler;
import io.umqtt.core.netty.MqttEncoderHandler;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.Publish;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encoding and decoding a QoS 1 PUBLISH and a PUBACK, umqtt beside Netty's codec-mqtt.
 * <p>
 * Codec alone: {@code umqttEncodePublish} gives each packet its own exact-size buffers,
 * as {@code MqttEncoder.doEncode} does; {@code umqttEncodePublishBatched} appends a
 * PUBLISH of a {@code byte[]} to the connection's batch buffer, which is how the client
 * writes it; {@code umqttEncodePublishReused} encodes one PUBLISH again and again, the
 * encoder's own work and allocation. {@code nettyDecode...} calls
 * {@code MqttDecoder.decode} directly, without {@code ReplayingDecoder}'s replay buffer;
 * {@code ...ManyTopics} decodes 16 topics in turn, so the topic changes from one message
 * to the next. The {@code ...Pipeline} benchmarks put each codec in an
 * {@link EmbeddedChannel}, the same channel cost on both sides. Inputs are the same bytes
 * for both. Every buffer produced is released, so pooled memory is reused as in a real
 * connection.
 * <p>
 * MQTT 5: {@code ...V5} encodes and decodes the same QoS 1 PUBLISH at protocol level 5 (a
 * property length of 0), {@code ...V5Properties} with four properties (content type,
 * message expiry, correlation data, one user property), beside Netty's codec-mqtt with
 * {@code MqttVersion.MQTT_5} set on its channel. Each side builds its properties object
 * once, as an application reusing them would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Dio.netty.leakDetection.level=disabled" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {

	/** Bytes of application payload per PUBLISH. */
	@Param({ "64", "1024", "65536" })
	public int payloadSize;

	/**
	 * The allocator channels use, so umqtt's direct calls allocate as Netty's codec does.
	 */
	private final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;

	private final List<Object> out = new ArrayList<>(2);

	private ByteBuf payload;

	/** A {@code byte[]} payload, as applications hand the client. */
	private ByteBuf heapPayload;

	/**
	 * The same, never freed by the encoder's release: lets one PUBLISH be encoded again
	 * and again.
	 */
	private Publish reusablePublish;

	/** The buffer a connection appends small packets to between flushes. */
	private ByteBuf batch;

	private ByteBuf publishWire;

	private ByteBuf pubAckWire;

	/** PUBLISHes to 16 topics ({@code sensors/device-N/temperature}), decoded in turn. */
	private ByteBuf[] manyTopicWires;

	private int nextWire;

	private PacketDecoder decoder;

	private EmbeddedChannel umqttEncoderChannel;

	private io.netty.channel.ChannelHandlerContext nettyContext;

	private EmbeddedChannel nettyEncoderChannel;

	private EmbeddedChannel umqttDecoderChannel;

	private EmbeddedChannel nettyDecoderChannel;

	private MqttDecoder nettyDecoder;

	private io.netty.channel.ChannelHandlerContext nettyDecoderContext;

	private static final byte[] CORRELATION = Wire.payload(16);

	/** umqtt's MQTT 5 PUBLISH properties, built once. */
	private final PacketProperties umqttProperties = PacketProperties.builder()
		.contentType("application/json")
		.messageExpiryInterval(60)
		.correlationData(CORRELATION)
		.userProperty("trace", "4bf92f3577b34da6")
		.build();

	/** Netty's, the same four. */
	private final MqttProperties nettyProperties = nettyProperties();

	private PacketDecoder decoderV5;

	private ByteBuf publishWireV5;

	private ByteBuf publishWireV5Properties;

	private io.netty.channel.ChannelHandlerContext nettyContextV5;

	private MqttDecoder nettyDecoderV5;

	private io.netty.channel.ChannelHandlerContext nettyDecoderContextV5;

	private static MqttProperties nettyProperties() {
		MqttProperties properties = new MqttProperties();
		properties.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.CONTENT_TYPE.value(),
				"application/json"));
		properties.add(new MqttProperties.IntegerProperty(
				MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), 60));
		properties.add(new MqttProperties.BinaryProperty(MqttProperties.MqttPropertyType.CORRELATION_DATA.value(),
				CORRELATION));
		properties.add(new MqttProperties.UserProperty("trace", "4bf92f3577b34da6"));
		return properties;
	}

	@Setup(Level.Trial)
	public void setUp() {
		this.payload = this.allocator.directBuffer(this.payloadSize).writeBytes(Wire.payload(this.payloadSize));
		this.heapPayload = Unpooled.wrappedBuffer(Wire.payload(this.payloadSize));
		this.reusablePublish = new Publish(Wire.TOPIC, 1, false, false, 42,
				Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(Wire.payload(this.payloadSize))));
		this.batch = this.allocator.directBuffer(16 * 1024);
		byte[] wire = Wire.encoded(
				new Publish(Wire.TOPIC, 1, false, false, 42, Unpooled.wrappedBuffer(Wire.payload(this.payloadSize))));
		this.publishWire = this.allocator.directBuffer(wire.length).writeBytes(wire);
		this.pubAckWire = this.allocator.directBuffer(4).writeBytes(Wire.encoded(new PubAck(42)));
		this.manyTopicWires = new ByteBuf[16];
		for (int i = 0; i < this.manyTopicWires.length; i++) {
			byte[] bytes = Wire.encoded(new Publish("sensors/device-" + (40 + i) + "/temperature", 1, false, false, 42,
					Unpooled.wrappedBuffer(Wire.payload(this.payloadSize))));
			this.manyTopicWires[i] = this.allocator.directBuffer(bytes.length).writeBytes(bytes);
		}
		this.decoder = new PacketDecoder();
		this.umqttEncoderChannel = new EmbeddedChannel(new MqttEncoderHandler());
		this.nettyEncoderChannel = new EmbeddedChannel(MqttEncoder.INSTANCE);
		this.nettyContext = this.nettyEncoderChannel.pipeline().firstContext();
		this.umqttDecoderChannel = new EmbeddedChannel(new MqttDecoderHandler(new PacketDecoder()));
		this.nettyDecoderChannel = new EmbeddedChannel(new MqttDecoder(1024 * 1024));
		this.nettyDecoder = new MqttDecoder(1024 * 1024);
		this.nettyDecoderContext = new EmbeddedChannel(this.nettyDecoder).pipeline().firstContext();
		checkNettyDecodes();
		this.decoderV5 = new PacketDecoder(PacketDecoder.DEFAULT_MAX_PACKET_SIZE, 5);
		byte[] v5 = Wire.encoded(
				new Publish(Wire.TOPIC, 1, false, false, 42, Unpooled.wrappedBuffer(Wire.payload(this.payloadSize))),
				PacketEncoder.MQTT_5);
		this.publishWireV5 = this.allocator.directBuffer(v5.length).writeBytes(v5);
		byte[] v5Properties = Wire.encoded(new Publish(Wire.TOPIC, 1, false, false, 42,
				Unpooled.wrappedBuffer(Wire.payload(this.payloadSize)), this.umqttProperties), PacketEncoder.MQTT_5);
		this.publishWireV5Properties = this.allocator.directBuffer(v5Properties.length).writeBytes(v5Properties);
		this.nettyContextV5 = new EmbeddedChannel(MqttEncoder.INSTANCE).pipeline().firstContext();
		io.netty.handler.codec.mqtt.NettyMqttCodecAccess.setVersion(this.nettyContextV5, MqttVersion.MQTT_5);
		this.nettyDecoderV5 = new MqttDecoder(1024 * 1024);
		this.nettyDecoderContextV5 = new EmbeddedChannel(this.nettyDecoderV5).pipeline().firstContext();
		io.netty.handler.codec.mqtt.NettyMqttCodecAccess.setVersion(this.nettyDecoderContextV5, MqttVersion.MQTT_5);
		checkMqtt5WireIsTheSameBothWays();
	}

	/**
	 * Fails the run unless each codec reads what the other writes at MQTT 5: umqtt
	 * decodes Netty's PUBLISH into the one it encodes itself, properties included, and
	 * Netty decodes umqtt's with its four properties. Both write the same number of
	 * bytes.
	 */
	private void checkMqtt5WireIsTheSameBothWays() {
		ByteBuf netty = io.netty.handler.codec.mqtt.NettyMqttCodecAccess.encode(this.nettyContextV5,
				nettyPublish(this.nettyProperties, Unpooled.wrappedBuffer(Wire.payload(this.payloadSize))));
		try {
			if (netty.readableBytes() != this.publishWireV5Properties.readableBytes()) {
				throw new IllegalStateException("Netty's MQTT 5 PUBLISH has " + netty.readableBytes()
						+ " bytes, umqtt's " + this.publishWireV5Properties.readableBytes());
			}
			Publish fromNetty = (Publish) new PacketDecoder(PacketDecoder.DEFAULT_MAX_PACKET_SIZE, 5).decode(netty);
			Publish expected = new Publish(Wire.TOPIC, 1, false, false, 42,
					Unpooled.wrappedBuffer(Wire.payload(this.payloadSize)), this.umqttProperties);
			if (!expected.equals(fromNetty)) {
				throw new IllegalStateException("umqtt decoded Netty's MQTT 5 PUBLISH as " + fromNetty);
			}
			fromNetty.payload().release();
			io.netty.handler.codec.mqtt.NettyMqttCodecAccess.decode(this.nettyDecoderV5, this.nettyDecoderContextV5,
					this.publishWireV5Properties.duplicate(), this.out);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			netty.release();
		}
		MqttPublishMessage publish = (MqttPublishMessage) this.out.get(0);
		if (!publish.decoderResult().isSuccess() || publish.variableHeader().properties().listAll().size() != 4) {
			throw new IllegalStateException("Netty decoded " + publish);
		}
		publish.release();
		this.out.clear();
	}

	private static MqttPublishMessage nettyPublish(MqttProperties properties, ByteBuf payload) {
		return new MqttPublishMessage(
				new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
				new MqttPublishVariableHeader(Wire.TOPIC, 42, properties), payload);
	}

	/**
	 * Fails the run if Netty's decoder, called directly, does not produce the whole
	 * message.
	 */
	private void checkNettyDecodes() {
		try {
			io.netty.handler.codec.mqtt.NettyMqttCodecAccess.decode(this.nettyDecoder, this.nettyDecoderContext,
					this.publishWire.duplicate(), this.out);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		MqttPublishMessage publish = (MqttPublishMessage) this.out.get(0);
		if (!publish.decoderResult().isSuccess() || publish.payload().readableBytes() != this.payloadSize
				|| !Wire.TOPIC.equals(publish.variableHeader().topicName())) {
			throw new IllegalStateException("Netty decoded " + publish);
		}
		publish.release();
		this.out.clear();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.payload.release();
		this.batch.release();
		this.publishWire.release();
		this.pubAckWire.release();
		this.publishWireV5.release();
		this.publishWireV5Properties.release();
		for (ByteBuf wire : this.manyTopicWires) {
			wire.release();
		}
		this.umqttEncoderChannel.finishAndReleaseAll();
		this.nettyEncoderChannel.finishAndReleaseAll();
		this.umqttDecoderChannel.finishAndReleaseAll();
		this.nettyDecoderChannel.finishAndReleaseAll();
	}

	// ---- umqtt's codec called directly ----

	@Benchmark
	public void umqttEncodePublish(Blackhole blackhole) {
		PacketEncoder.INSTANCE.encode(new Publish(Wire.TOPIC, 1, false, false, 42, this.payload.retainedDuplicate()),
				this.allocator, this.out);
		releaseOut(blackhole);
	}

	/**
	 * How the connection encodes a PUBLISH of a {@code byte[]}: appended to its batch
	 * buffer.
	 */
	@Benchmark
	public void umqttEncodePublishBatched(Blackhole blackhole) {
		ByteBuf batch = this.batch;
		if (batch.writableBytes() < this.payloadSize + 64) {
			batch.clear();
		}
		PacketEncoder.INSTANCE
			.encode(new Publish(Wire.TOPIC, 1, false, false, 42, this.heapPayload.retainedDuplicate()), batch);
		blackhole.consume(batch.writerIndex());
	}

	/**
	 * The encoder's own work and allocation: the same PUBLISH appended again and again.
	 */
	@Benchmark
	public void umqttEncodePublishReused(Blackhole blackhole) {
		ByteBuf batch = this.batch;
		if (batch.writableBytes() < this.payloadSize + 64) {
			batch.clear();
		}
		PacketEncoder.INSTANCE.encode(this.reusablePublish, batch);
		blackhole.consume(batch.writerIndex());
	}

	@Benchmark
	public void umqttDecodePublish(Blackhole blackhole) {
		ByteBuf in = this.publishWire.readerIndex(0);
		Publish publish = (Publish) this.decoder.decode(in);
		blackhole.consume(publish.topic());
		publish.payload().release();
	}

	/**
	 * Decoding with the topic changing from one message to the next (16 topics in turn).
	 */
	@Benchmark
	public void umqttDecodePublishManyTopics(Blackhole blackhole) {
		ByteBuf in = nextManyTopicWire();
		Publish publish = (Publish) this.decoder.decode(in);
		blackhole.consume(publish.topic());
		publish.payload().release();
	}

	@Benchmark
	public void umqttEncodePubAck(Blackhole blackhole) {
		PacketEncoder.INSTANCE.encode(new PubAck(42), this.allocator, this.out);
		releaseOut(blackhole);
	}

	@Benchmark
	public Packet umqttDecodePubAck() {
		return this.decoder.decode(this.pubAckWire.readerIndex(0));
	}

	@Benchmark
	public void nettyEncodePublish(Blackhole blackhole) {
		MqttPublishMessage message = new MqttPublishMessage(
				new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
				new MqttPublishVariableHeader(Wire.TOPIC, 42), this.payload.retainedDuplicate());
		ByteBuf encoded = io.netty.handler.codec.mqtt.NettyMqttCodecAccess.encode(this.nettyContext, message);
		blackhole.consume(encoded.readableBytes());
		encoded.release();
		message.release();
	}

	@Benchmark
	public void nettyEncodePubAck(Blackhole blackhole) {
		ByteBuf encoded = io.netty.handler.codec.mqtt.NettyMqttCodecAccess.encode(this.nettyContext,
				new MqttPubAckMessage(
						new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
						MqttMessageIdVariableHeader.from(42)));
		blackhole.consume(encoded.readableBytes());
		encoded.release();
	}

	@Benchmark
	public void nettyDecodePublish(Blackhole blackhole) throws Exception {
		io.netty.handler.codec.mqtt.NettyMqttCodecAccess.decode(this.nettyDecoder, this.nettyDecoderContext,
				this.publishWire.readerIndex(0), this.out);
		MqttPublishMessage publish = (MqttPublishMessage) this.out.get(0);
		blackhole.consume(publish.variableHeader().topicName());
		publish.release();
		this.out.clear();
	}

	@Benchmark
	public void nettyDecodePublishManyTopics(Blackhole blackhole) throws Exception {
		io.netty.handler.codec.mqtt.NettyMqttCodecAccess.decode(this.nettyDecoder, this.nettyDecoderContext,
				nextManyTopicWire(), this.out);
		MqttPublishMessage publish = (MqttPublishMessage) this.out.get(0);
		blackhole.consume(publish.variableHeader().topicName());
		publish.release();
		this.out.clear();
	}

	private ByteBuf nextManyTopicWire() {
		int next = this.nextWire;
		this.nextWire = (next + 1) & 15;
		return this.manyTopicWires[next].readerIndex(0);
	}

	@Benchmark
	public void nettyDecodePubAck(Blackhole blackhole) throws Exception {
		io.netty.handler.codec.mqtt.NettyMqttCodecAccess.decode(this.nettyDecoder, this.nettyDecoderContext,
				this.pubAckWire.readerIndex(0), this.out);
		blackhole.consume(this.out.get(0));
		this.out.clear();
	}

	// ---- MQTT 5, both codecs called directly ----

	@Benchmark
	public void umqttEncodePublishV5(Blackhole blackhole) {
		PacketEncoder.MQTT_5.encode(new Publish(Wire.TOPIC, 1, false, false, 42, this.payload.retainedDuplicate()),
				this.allocator, this.out);
		releaseOut(blackhole);
	}

	@Benchmark
	public void umqttEncodePublishV5Properties(Blackhole blackhole) {
		PacketEncoder.MQTT_5.encode(
				new Publish(Wire.TOPIC, 1, false, false, 42, this.payload.retainedDuplicate(), this.umqttProperties),
				this.allocator, this.out);
		releaseOut(blackhole);
	}

	@Benchmark
	public void umqttDecodePublishV5(Blackhole blackhole) {
		Publish publish = (Publish) this.decoderV5.decode(this.publishWireV5.readerIndex(0));
		blackhole.consume(publish.topic());
		publish.payload().release();
	}

	@Benchmark
	public void umqttDecodePublishV5Properties(Blackhole blackhole) {
		Publish publish = (Publish) this.decoderV5.decode(this.publishWireV5Properties.readerIndex(0));
		blackhole.consume(publish.properties().contentType());
		publish.payload().release();
	}

	@Benchmark
	public void nettyEncodePublishV5(Blackhole blackhole) {
		MqttPublishMessage message = nettyPublish(MqttProperties.NO_PROPERTIES, this.payload.retainedDuplicate());
		ByteBuf encoded = io.netty.handler.codec.mqtt.NettyMqttCodecAccess.encode(this.nettyContextV5, message);
		blackhole.consume(encoded.readableBytes());
		encoded.release();
		message.release();
	}

	@Benchmark
	public void nettyEncodePublishV5Properties(Blackhole blackhole) {
		MqttPublishMessage message = nettyPublish(this.nettyProperties, this.payload.retainedDuplicate());
		ByteBuf encoded = io.netty.handler.codec.mqtt.NettyMqttCodecAccess.encode(this.nettyContextV5, message);
		blackhole.consume(encoded.readableBytes());
		encoded.release();
		message.release();
	}

	@Benchmark
	public void nettyDecodePublishV5(Blackhole blackhole) throws Exception {
		io.netty.handler.codec.mqtt.NettyMqttCodecAccess.decode(this.nettyDecoderV5, this.nettyDecoderContextV5,
				this.publishWireV5.readerIndex(0), this.out);
		MqttPublishMessage publish = (MqttPublishMessage) this.out.get(0);
		blackhole.consume(publish.variableHeader().topicName());
		publish.release();
		this.out.clear();
	}

	@Benchmark
	public void nettyDecodePublishV5Properties(Blackhole blackhole) throws Exception {
		io.netty.handler.codec.mqtt.NettyMqttCodecAccess.decode(this.nettyDecoderV5, this.nettyDecoderContextV5,
				this.publishWireV5Properties.readerIndex(0), this.out);
		MqttPublishMessage publish = (MqttPublishMessage) this.out.get(0);
		blackhole.consume(publish.variableHeader().properties());
		publish.release();
		this.out.clear();
	}

	// ---- both codecs in a channel pipeline ----

	@Benchmark
	public void umqttEncodePublishPipeline(Blackhole blackhole) {
		this.umqttEncoderChannel
			.writeOutbound(new Publish(Wire.TOPIC, 1, false, false, 42, this.payload.retainedDuplicate()));
		drainOutbound(this.umqttEncoderChannel, blackhole);
	}

	@Benchmark
	public void nettyEncodePublishPipeline(Blackhole blackhole) {
		MqttPublishMessage message = new MqttPublishMessage(
				new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
				new MqttPublishVariableHeader(Wire.TOPIC, 42), this.payload.retainedDuplicate());
		this.nettyEncoderChannel.writeOutbound(message);
		drainOutbound(this.nettyEncoderChannel, blackhole);
	}

	@Benchmark
	public void umqttDecodePublishPipeline(Blackhole blackhole) {
		this.umqttDecoderChannel.writeInbound(this.publishWire.retainedDuplicate());
		drainInbound(this.umqttDecoderChannel, blackhole);
	}

	@Benchmark
	public void nettyDecodePublishPipeline(Blackhole blackhole) {
		this.nettyDecoderChannel.writeInbound(this.publishWire.retainedDuplicate());
		drainInbound(this.nettyDecoderChannel, blackhole);
	}

	@Benchmark
	public void umqttEncodePubAckPipeline(Blackhole blackhole) {
		this.umqttEncoderChannel.writeOutbound(new PubAck(42));
		drainOutbound(this.umqttEncoderChannel, blackhole);
	}

	@Benchmark
	public void nettyEncodePubAckPipeline(Blackhole blackhole) {
		this.nettyEncoderChannel.writeOutbound(new MqttPubAckMessage(
				new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
				MqttMessageIdVariableHeader.from(42)));
		drainOutbound(this.nettyEncoderChannel, blackhole);
	}

	@Benchmark
	public void umqttDecodePubAckPipeline(Blackhole blackhole) {
		this.umqttDecoderChannel.writeInbound(this.pubAckWire.retainedDuplicate());
		drainInbound(this.umqttDecoderChannel, blackhole);
	}

	@Benchmark
	public void nettyDecodePubAckPipeline(Blackhole blackhole) {
		this.nettyDecoderChannel.writeInbound(this.pubAckWire.retainedDuplicate());
		drainInbound(this.nettyDecoderChannel, blackhole);
	}

	private void releaseOut(Blackhole blackhole) {
		for (int i = 0; i < this.out.size(); i++) {
			ByteBuf buffer = (ByteBuf) this.out.get(i);
			blackhole.consume(buffer.readableBytes());
			buffer.release();
		}
		this.out.clear();
	}

	private static void drainOutbound(EmbeddedChannel channel, Blackhole blackhole) {
		Object message;
		while ((message = channel.readOutbound()) != null) {
			blackhole.consume(message);
			ReferenceCountUtil.release(message);
		}
	}

	private static void drainInbound(EmbeddedChannel channel, Blackhole blackhole) {
		Object message;
		while ((message = channel.readInbound()) != null) {
			blackhole.consume(message);
			if (message instanceof Publish publish) {
				publish.payload().release();
			}
			else {
				ReferenceCountUtil.release(message);
			}
		}
	}

}
