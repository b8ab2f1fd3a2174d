package io.umqtt.core.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.umqtt.core.SubscribeOptions;
import io.umqtt.core.packet.Auth;
import io.umqtt.core.packet.ConnAck;
import io.umqtt.core.packet.Connect;
import io.umqtt.core.packet.Disconnect;
import io.umqtt.core.packet.Packet;
import io.umqtt.core.packet.PacketProperties;
import io.umqtt.core.packet.PacketPropertiesBuilder;
import io.umqtt.core.packet.PingReq;
import io.umqtt.core.packet.PingResp;
import io.umqtt.core.packet.PubAck;
import io.umqtt.core.packet.PubComp;
import io.umqtt.core.packet.PubRec;
import io.umqtt.core.packet.PubRel;
import io.umqtt.core.packet.Publish;
import io.umqtt.core.packet.SubAck;
import io.umqtt.core.packet.Subscribe;
import io.umqtt.core.packet.Subscription;
import io.umqtt.core.packet.UnsubAck;
import io.umqtt.core.packet.Unsubscribe;
import io.umqtt.core.packet.Will;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.umqtt.core.codec.Bytes.bytes;
import static io.umqtt.core.codec.Bytes.decode5;
import static io.umqtt.core.codec.Bytes.encode5;
import static io.umqtt.core.codec.Bytes.encodeAppended5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * MQTT 5 packets both ways: every packet type against its bytes, every property on every
 * packet that may carry it (table 2-4), and what the encoder refuses to write.
 */
class Mqtt5CodecTests {

	static Stream<Arguments> fixtures() {
		return Stream.of(
				Arguments.of(new Connect(5, true, 60, "ab", null, null, null),
						bytes(0x10, 0x0F, /* CONNECT, remaining 15 */ 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, /*
																											 * level
																											 * 5
																											 */
								0x02, /* clean start */ 0x00, 0x3C, /* keep-alive 60 */ 0x00, /*
																								 * no
																								 * properties
																								 */
								0x00, 0x02, 'a', 'b' /* client id */)),
				Arguments.of(new Connect(5, false, 30, "c", new Will("w", "x".getBytes(), 1, true, PacketProperties
					.builder()
					.contentType("t")
					.willDelayInterval(10)
					.build()), null, "p".getBytes(), PacketProperties.builder()
						.sessionExpiryInterval(0xFFFF_FFFFL)
						.receiveMaximum(100)
						.userProperty("k", "v")
						.build()), bytes(0x10, 0x30, /* CONNECT, remaining 48 */ 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,
								0x6C, /*
										 * password, will retain, will QoS 1, will; a
										 * password without a user name is allowed on 5
										 * [MQTT - 3 . 1 . 2 - 18, MQTT - 3 . 1 . 2 - 20]
										 */
								0x00, 0x1E, /* keep-alive 30 */
								0x0F, /* property length 15 */ 0x11, 0xFF, 0xFF, 0xFF, 0xFF, /*
																								 * session
																								 * expiry:
																								 * never
																								 */
								0x21, 0x00, 0x64, /* receive maximum 100 */ 0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v',
								0x00, 0x01, 'c', /* client id */
								0x09, /* will property length 9 */ 0x03, 0x00, 0x01, 't', /*
																							 * content
																							 * type
																							 */
								0x18, 0x00, 0x00, 0x00, 0x0A, /* will delay 10 s */
								0x00, 0x01, 'w', /* will topic */ 0x00, 0x01, 'x', /*
																					 * will
																					 * payload
																					 */
								0x00, 0x01, 'p' /* password */)),
				Arguments.of(new ConnAck(true, 0,
						PacketProperties.builder()
							.assignedClientIdentifier("id")
							.receiveMaximum(10)
							.topicAliasMaximum(5)
							.build()),
						bytes(0x20, 0x0E, /* CONNACK, remaining 14 */ 0x01, /*
																			 * session
																			 * present
																			 */ 0x00, /*
																						 * success
																						 */
								0x0B, /* property length 11 */ 0x12, 0x00, 0x02, 'i', 'd', /*
																							 * assigned
																							 * client
																							 * id
																							 */
								0x21, 0x00, 0x0A, /* receive maximum 10 */ 0x22, 0x00, 0x05 /*
																							 * topic
																							 * alias
																							 * max
																							 * 5
																							 */)),
				Arguments.of(new ConnAck(false, 0x87, PacketProperties.NONE), bytes(0x20, 0x03, 0x00, 0x87,
						/* not authorized */ 0x00 /* no properties */)),
				Arguments.of(new Publish("a/b", 0, false, false, 0, Unpooled.wrappedBuffer(bytes('h', 'i'))),
						bytes(0x30, 0x08, /* PUBLISH QoS 0, remaining 8 */ 0x00, 0x03, 'a', '/', 'b', 0x00,
								/* no properties */ 'h', 'i')),
				Arguments.of(new Publish("t", 1, false, false, 10, Unpooled.wrappedBuffer(bytes('x')),
						PacketProperties.builder()
							.payloadFormatIndicator(1)
							.messageExpiryInterval(60)
							.responseTopic("r")
							.correlationData(bytes(1, 2))
							.subscriptionIdentifier(1)
							.subscriptionIdentifier(128)
							.userProperty("a", "b")
							.build()),
						bytes(0x32, 0x23, /* PUBLISH QoS 1, remaining 35 */ 0x00, 0x01, 't', 0x00, 0x0A, /*
																											 * id
																											 * 10
																											 */
								0x1C, /* property length 28 */ 0x01, 0x01, /*
																			 * payload is
																			 * UTF-8
																			 */
								0x02, 0x00, 0x00, 0x00, 0x3C, /* expires in 60 s */ 0x08, 0x00, 0x01, 'r', 0x09, 0x00,
								0x02, 0x01, 0x02, /* correlation data */
								0x0B, 0x01, 0x0B, 0x80, 0x01, /*
																 * subscription ids 1 and
																 * 128, two-byte VBI
																 */
								0x26, 0x00, 0x01, 'a', 0x00, 0x01, 'b', 'x' /* payload */)),
				Arguments.of(new Publish("", 0, false, false, 0, Unpooled
					.wrappedBuffer(bytes('z')), PacketProperties.builder().topicAlias(3).build()), bytes(0x30, 0x07,
							0x00, 0x00, /*
										 * empty topic: the alias stands for it
										 */ 0x03, 0x23, 0x00, 0x03, /*
																	 * topic alias 3
																	 */ 'z')),
				Arguments.of(new PubAck(10), bytes(0x40, 0x02, 0x00,
						0x0A /* success, no properties: as 3.1.1 */)),
				Arguments.of(new PubAck(10, 0x10, PacketProperties.NONE), bytes(0x40, 0x03, 0x00, 0x0A,
						0x10 /* no matching subscribers, no property length */)),
				Arguments.of(new PubAck(10, 0x87, PacketProperties.builder()
					.reasonString("no")
					.build()), bytes(0x40, 0x09, 0x00, 0x0A, 0x87, 0x05, 0x1F, 0x00, 0x02, 'n',
							'o' /* reason string */)),
				Arguments.of(new PubRec(1, 0x80, PacketProperties.NONE), bytes(0x50, 0x03, 0x00, 0x01, 0x80)),
				Arguments.of(new PubRel(258, 0x92, PacketProperties.NONE), bytes(0x62, 0x03, 0x01, 0x02,
						0x92 /* packet identifier not found */)),
				Arguments.of(new PubComp(7, 0, PacketProperties.builder().userProperty("k", "v").build()),
						bytes(0x70, 0x0B, 0x00, 0x07, 0x00, 0x07, 0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v')),
				Arguments.of(new Subscribe(1, List.of(new Subscription("a/+", 1,
						new SubscribeOptions(true, true, 2)), new Subscription("$share/g/b", 0)), PacketProperties
							.builder()
							.subscriptionIdentifier(5)
							.build()),
						bytes(0x82, 0x18, /* SUBSCRIBE, remaining 24 */ 0x00, 0x01, 0x02, 0x0B, 0x05, /*
																										 * sub
																										 * id
																										 * 5
																										 */
								0x00, 0x03, 'a', '/', '+', 0x2D, /*
																	 * retain handling 2,
																	 * retain as
																	 * published, no
																	 * local, QoS 1
																	 */
								0x00, 0x0A, '$', 's', 'h', 'a', 'r', 'e', '/', 'g', '/', 'b', 0x00)),
				Arguments.of(new SubAck(1, List.of(0x02, 0x97, 0xA1), PacketProperties.NONE), bytes(0x90, 0x06, 0x00,
						0x01, 0x00, /* no properties */ 0x02, /* granted QoS 2 */
						0x97, /* quota exceeded */ 0xA1 /*
														 * subscription identifiers not
														 * supported
														 */)),
				Arguments.of(
						new Unsubscribe(2, List.of("a/b"), PacketProperties.builder().userProperty("k", "v").build()),
						bytes(0xA2, 0x0F, 0x00, 0x02, 0x07, 0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', 0x00, 0x03, 'a',
								'/', 'b')),
				Arguments.of(new UnsubAck(2, List.of(0x00, 0x11), PacketProperties.builder()
					.reasonString("r")
					.build()), bytes(0xB0, 0x09, 0x00, 0x02, 0x04, 0x1F, 0x00, 0x01, 'r', 0x00,
							0x11 /* no subscription existed */)),
				Arguments.of(PingReq.INSTANCE, bytes(0xC0, 0x00)), Arguments.of(PingResp.INSTANCE, bytes(0xD0, 0x00)),
				Arguments.of(Disconnect.INSTANCE,
						bytes(0xE0, 0x00 /* normal disconnection, as 3.1.1 */)),
				Arguments.of(new Disconnect(0x8E, PacketProperties.NONE), bytes(0xE0, 0x01,
						0x8E /* session taken over, no property length */)),
				Arguments.of(
						new Disconnect(0x9C,
								PacketProperties.builder()
									.sessionExpiryInterval(0)
									.serverReference("s")
									.reasonString("x")
									.build()),
						bytes(0xE0, 0x0F, 0x9C, /* use another server */ 0x0D, 0x11, 0x00, 0x00, 0x00, 0x00, 0x1C, 0x00,
								0x01, 's', 0x1F, 0x00, 0x01, 'x')),
				Arguments.of(new Auth(0x00, PacketProperties.NONE),
						bytes(0xF0, 0x00 /* AUTH success, nothing else */)),
				Arguments.of(new Auth(0x18,
						PacketProperties.builder().authenticationMethod("m").authenticationData(bytes(9)).build()),
						bytes(0xF0, 0x0A, 0x18, /* continue authentication */ 0x08, 0x15, 0x00, 0x01, 'm', 0x16, 0x00,
								0x01, 0x09)));
	}

	@ParameterizedTest
	@MethodSource("fixtures")
	void everyMqtt5PacketEncodesToItsFixtureAndDecodesBack(Packet packet, byte[] wire) {
		assertThat(decode5(wire)).isEqualTo(packet);
		assertThat(encodeAppended5(retained(packet))).containsExactly(wire);
		assertThat(encode5(packet)).containsExactly(wire);
	}

	private static Packet retained(Packet packet) {
		return (packet instanceof Publish publish) ? publish.withPayload(publish.payload().retainedDuplicate())
				: packet;
	}

	/** A sample value of each property, and the packets that may carry it (table 2-4). */
	static Stream<Arguments> everyPropertyOnEveryPacketThatMayCarryIt() {
		List<Arguments> cases = new ArrayList<>();
		for (int id = 0; id <= 0x2A; id++) {
			PacketProperties properties = sample(id);
			if (properties == null) {
				continue;
			}
			for (int type : new int[] { PropertyCodec.WILL, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15 }) {
				if (PropertyCodec.allowed(id, type)) {
					cases.add(Arguments.of(PropertyCodec.name(id), type, properties));
				}
			}
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "{0} on packet type {1}")
	@MethodSource
	void everyPropertyOnEveryPacketThatMayCarryIt(String property, int type, PacketProperties properties) {
		Packet packet = packet(type, properties);
		Packet decoded = decode5(encode5(retained(packet)));
		assertThat(decoded).isEqualTo(packet);
		assertThat(properties(decoded, type)).isEqualTo(properties);
	}

	@Test
	void tableCoversAll27PropertiesAndEveryOneHasASampleOnEachCarrier() {
		long defined = IntStream.rangeClosed(0, 0x7F)
			.filter((id) -> !PropertyCodec.name(id).startsWith("unknown"))
			.count();
		assertThat(defined).isEqualTo(27);
		// table 2-4 counted by hand: payload format, message expiry, content type,
		// response topic,
		// correlation data 2 each; subscription id 2; session expiry 3; assigned client
		// id, server
		// keep-alive 1 each; authentication method and data 3 each; request problem
		// information,
		// will delay, request response information, response information 1 each; server
		// reference
		// 2; reason string 9; receive maximum, topic alias maximum 2 each; topic alias,
		// maximum
		// QoS, retain available 1 each; user property 14; maximum packet size 2;
		// wildcard,
		// subscription id and shared subscription available 1 each
		assertThat(everyPropertyOnEveryPacketThatMayCarryIt().count()).isEqualTo(64);
	}

	@Test
	void propertyOnAPacketThatMayNotCarryItIsRefusedBeforeAnythingIsWritten() {
		PacketProperties expiry = PacketProperties.builder().sessionExpiryInterval(10).build();
		assertThatIllegalArgumentException().isThrownBy(() -> encode5(new PubAck(1, 0, expiry)))
			.withMessageContaining("Session Expiry Interval is not a property of PUBACK");
		PacketProperties alias = PacketProperties.builder().topicAlias(1).build();
		assertThatIllegalArgumentException().isThrownBy(() -> encode5(new Disconnect(0, alias)))
			.withMessageContaining("Topic Alias is not a property of DISCONNECT");
		PacketProperties twoIds = PacketProperties.builder()
			.subscriptionIdentifier(1)
			.subscriptionIdentifier(2)
			.build();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> encode5(new Subscribe(1, List.of(new Subscription("a", 0)), twoIds)))
			.withMessageContaining("at most one Subscription Identifier");
	}

	@Test
	void subscribeGoesOutWithTheFixedHeaderFlags0010() {
		// SUBSCRIBE flags are 0010 [MQTT-3.8.1-1]
		assertThat(encode5(new Subscribe(1, List.of(new Subscription("a", 0))))[0]).isEqualTo((byte) 0x82);
	}

	@Test
	void unsubscribeGoesOutWithTheFixedHeaderFlags0010() {
		// UNSUBSCRIBE flags are 0010 [MQTT-3.10.1-1]
		assertThat(encode5(new Unsubscribe(1, List.of("a")))[0]).isEqualTo((byte) 0xA2);
	}

	@Test
	void connectPayloadCarriesTheFieldsItsFlagsAnnounceInTheirOrder() {
		Connect full = new Connect(5, true, 10, "c",
				new Will("w", bytes('x'), 1, true, PacketProperties.builder().willDelayInterval(1).build()), "u",
				bytes('p'), PacketProperties.NONE);
		byte[] wire = encode5(full);
		// the protocol name is "MQTT" [MQTT-3.1.2-1]
		assertThat(Arrays.copyOfRange(wire, 2, 8)).containsExactly(0x00, 0x04, 'M', 'Q', 'T', 'T');
		// flags: user name, password, will retain, will QoS 1, will, clean start; Will
		// Flag 1 [MQTT-3.1.2-9], User Name Flag 1 [MQTT-3.1.2-17], Password Flag 1
		// [MQTT-3.1.2-19]
		assertThat(wire[9] & 0xFF).isEqualTo(0xEE);
		// the client identifier first [MQTT-3.1.3-3], then will properties, will topic,
		// will payload, user name, password [MQTT-3.1.3-1, MQTT-3.1.2-9, MQTT-3.1.2-17,
		// MQTT-3.1.2-19]
		assertThat(Arrays.copyOfRange(wire, 13, wire.length)).containsExactly(0x00, 0x01, 'c', 0x05, 0x18, 0x00, 0x00,
				0x00, 0x01, 0x00, 0x01, 'w', 0x00, 0x01, 'x', 0x00, 0x01, 'u', 0x00, 0x01, 'p');
		// without a will, will QoS and will retain are 0 [MQTT-3.1.2-11, MQTT-3.1.2-13];
		// without a user name nor a password, neither flag and neither field
		// [MQTT-3.1.2-16, MQTT-3.1.2-18]
		byte[] bare = encode5(new Connect(5, true, 10, "c", null, null, null));
		assertThat(bare[9] & 0xFF).isEqualTo(0x02);
		assertThat(Arrays.copyOfRange(bare, 13, bare.length)).containsExactly(0x00, 0x01, 'c');
		// a user name alone: no password field [MQTT-3.1.2-17, MQTT-3.1.2-18]
		byte[] user = encode5(new Connect(5, true, 10, "c", null, "u", null));
		assertThat(user[9] & 0xFF).isEqualTo(0x82);
		assertThat(Arrays.copyOfRange(user, 13, user.length)).containsExactly(0x00, 0x01, 'c', 0x00, 0x01, 'u');
		// a password alone (allowed on 5): no user name field [MQTT-3.1.2-16,
		// MQTT-3.1.2-19]
		byte[] password = encode5(new Connect(5, true, 10, "c", null, null, bytes('p')));
		assertThat(password[9] & 0xFF).isEqualTo(0x42);
		assertThat(Arrays.copyOfRange(password, 13, password.length)).containsExactly(0x00, 0x01, 'c', 0x00, 0x01, 'p');
	}

	@Test
	void connectStringsThatAreNotWellFormedUtf8AreRefused() {
		String lone = "a\uD800";
		// the Client Identifier is a UTF-8 string [MQTT-3.1.3-4]
		assertThatIllegalArgumentException().isThrownBy(() -> encode5(new Connect(5, true, 10, lone, null, null, null)))
			.withMessageContaining("client identifier is not well-formed UTF-8");
		// the Will Topic is a UTF-8 string [MQTT-3.1.3-11]
		assertThatIllegalArgumentException()
			.isThrownBy(() -> encode5(new Connect(5, true, 10, "c", new Will(lone, bytes('x'), 0, false), null, null)))
			.withMessageContaining("will topic is not well-formed UTF-8");
		// the User Name is a UTF-8 string [MQTT-3.1.3-12]
		assertThatIllegalArgumentException().isThrownBy(() -> encode5(new Connect(5, true, 10, "c", null, lone, null)))
			.withMessageContaining("user name is not well-formed UTF-8");
	}

	@Test
	void publishStartsWithItsTopicNameAsAUtf8String() {
		// the Topic Name is the first field of the variable header, a UTF-8 string
		// [MQTT-3.3.2-1]
		assertThat(encode5(new Publish("\u00FC/t", 1, false, false, 5, Unpooled.wrappedBuffer(bytes('x')))))
			.containsExactly(0x32, 0x0A, 0x00, 0x04, 0xC3, 0xBC, '/', 't', 0x00, 0x05, 0x00, 'x');
		assertThatIllegalArgumentException()
			.isThrownBy(() -> encode5(new Publish("a\uD800", 0, false, false, 0, Unpooled.EMPTY_BUFFER)))
			.withMessageContaining("not well-formed UTF-8");
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> decode5(bytes(0x30, 0x05, 0x00, 0x01, 0xC3, 0x00, 'x')))
			.withMessageContaining("not well-formed UTF-8");
	}

	@Test
	void responseTopicAndContentTypeAreUtf8Strings() {
		String lone = "a\uD800";
		// the Response Topic is a UTF-8 string [MQTT-3.3.2-13]
		assertThatIllegalArgumentException()
			.isThrownBy(() -> encode5(new Publish("t", 0, false, false, 0, Unpooled.EMPTY_BUFFER,
					PacketProperties.builder().responseTopic(lone).build())))
			.withMessageContaining("not well-formed UTF-8");
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> decode5(bytes(0x30, 0x08, 0x00, 0x01, 't', 0x04, 0x08, 0x00, 0x01, 0xC3)))
			.withMessageContaining("not well-formed UTF-8");
		// the Content Type is a UTF-8 string [MQTT-3.3.2-19]
		assertThatIllegalArgumentException()
			.isThrownBy(() -> encode5(new Publish("t", 0, false, false, 0, Unpooled.EMPTY_BUFFER,
					PacketProperties.builder().contentType(lone).build())))
			.withMessageContaining("not well-formed UTF-8");
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> decode5(bytes(0x30, 0x08, 0x00, 0x01, 't', 0x04, 0x03, 0x00, 0x01, 0xC3)))
			.withMessageContaining("not well-formed UTF-8");
	}

	@Test
	void subscribeAndUnsubscribeTopicFiltersAreUtf8Strings() {
		// SUBSCRIBE topic filters are UTF-8 strings [MQTT-3.8.3-1]
		assertThat(encode5(new Subscribe(1, List.of(new Subscription("\u00FC", 0))))).containsExactly(0x82, 0x08, 0x00,
				0x01, 0x00, 0x00, 0x02, 0xC3, 0xBC, 0x00);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> encode5(new Subscribe(1, List.of(new Subscription("a\uD800", 0)))))
			.withMessageContaining("not well-formed UTF-8");
		// UNSUBSCRIBE topic filters are UTF-8 strings [MQTT-3.10.3-1]
		assertThat(encode5(new Unsubscribe(1, List.of("\u00FC")))).containsExactly(0xA2, 0x07, 0x00, 0x01, 0x00, 0x00,
				0x02, 0xC3, 0xBC);
		assertThatIllegalArgumentException().isThrownBy(() -> encode5(new Unsubscribe(1, List.of("a\uD800"))))
			.withMessageContaining("not well-formed UTF-8");
	}

	@Test
	void aPacketWithoutPropertiesStillCarriesAPropertyLengthOf0() {
		// [MQTT-2.2.2-1]: CONNECT, PUBLISH, SUBSCRIBE and UNSUBSCRIBE without properties
		assertThat(encode5(new Connect(5, true, 10, "c", null, null, null))).containsExactly(0x10, 0x0E, 0x00, 0x04,
				'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x0A, 0x00, 0x00, 0x01, 'c');
		assertThat(encode5(new Publish("t", 1, false, false, 7, Unpooled.EMPTY_BUFFER))).containsExactly(0x32, 0x06,
				0x00, 0x01, 't', 0x00, 0x07, 0x00);
		assertThat(encode5(new Subscribe(1, List.of(new Subscription("a", 0))))).containsExactly(0x82, 0x07, 0x00, 0x01,
				0x00, 0x00, 0x01, 'a', 0x00);
		assertThat(encode5(new Unsubscribe(1, List.of("a")))).containsExactly(0xA2, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01,
				'a');
		// and a PUBLISH read without one is malformed
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> decode5(bytes(0x30, 0x03, 0x00, 0x01, 't')))
			.withMessageContaining("property length");
	}

	@Test
	void aQos0PublishCarriesNoPacketIdentifier() {
		// [MQTT-2.2.1-2]: the topic, then at once the property length
		assertThat(encode5(new Publish("t", 0, false, false, 0, Unpooled.wrappedBuffer(bytes('x')))))
			.containsExactly(0x30, 0x05, 0x00, 0x01, 't', 0x00, 'x');
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Publish("t", 0, false, false, 3, Unpooled.EMPTY_BUFFER))
			.withMessageContaining("no packet identifier");
	}

	@Test
	void aByteOrderMarkInAStringIsKeptAsZeroWidthNoBreakSpace() {
		// EF BB BF is U+FEFF, neither skipped nor stripped [MQTT-1.5.4-3]
		Publish publish = (Publish) decode5(bytes(0x30, 0x08, 0x00, 0x04, 0xEF, 0xBB, 0xBF, 't', 0x00, 'x'));
		assertThat(publish.topic()).isEqualTo("\uFEFFt");
		publish.payload().release();
		PubAck ack = (PubAck) decode5(bytes(0x40, 0x0A, 0x00, 0x01, 0x80, 0x06, 0x1F, 0x00, 0x03, 0xEF, 0xBB, 0xBF));
		assertThat(ack.properties().reasonString()).isEqualTo("\uFEFF");
	}

	@Test
	void encoderRefusesWhatTheSpecificationForbids() {
		// an empty topic needs a Topic Alias [MQTT-3.3.2.3.4]
		assertThatIllegalArgumentException()
			.isThrownBy(() -> encode5(new Publish("", 0, false, false, 0, Unpooled.EMPTY_BUFFER)))
			.withMessageContaining("Topic Alias");
		// No Local on a shared subscription [MQTT-3.8.3-4]
		assertThatIllegalArgumentException()
			.isThrownBy(() -> encode5(
					new Subscribe(1, List.of(new Subscription("$share/g/a", 0, new SubscribeOptions(true, false, 0))))))
			.withMessageContaining("[MQTT-3.8.3-4]");
		// a response topic is a topic name, no wildcards [MQTT-3.3.2-14]
		assertThatIllegalArgumentException()
			.isThrownBy(() -> encode5(new Publish("t", 0, false, false, 0, Unpooled.EMPTY_BUFFER,
					PacketProperties.builder().responseTopic("a/#").build())))
			.withMessageContaining("[MQTT-3.3.2-14]");
		// AUTH beyond a bare success carries its method [MQTT-3.15.2.2.2]
		assertThatIllegalArgumentException().isThrownBy(() -> encode5(new Auth(0x18, PacketProperties.NONE)))
			.withMessageContaining("Authentication Method");
		// a user property string with U+0000 [MQTT-1.5.4-2]
		assertThatIllegalArgumentException()
			.isThrownBy(() -> encode5(new PubAck(1, 0, PacketProperties.builder().userProperty("a\0", "b").build())))
			.withMessageContaining("[MQTT-1.5.4-2]");
		// the 3.1.1 encoder has no AUTH
		assertThatIllegalArgumentException().isThrownBy(() -> Bytes.encode(new Auth(0, PacketProperties.NONE)))
			.withMessageContaining("MQTT 5");
	}

	@Test
	void encodedPublishWithPropertiesIsAnExactSizeHeaderFollowedByThePayloadUncopied() {
		ByteBuf payload = Unpooled.directBuffer(64).writeZero(64);
		PacketProperties properties = PacketProperties.builder()
			.contentType("text/plain")
			.messageExpiryInterval(5)
			.build();
		List<Object> out = new ArrayList<>();
		PacketEncoder.MQTT_5.encode(new Publish("sensors/1", 1, false, false, 3, payload, properties),
				ByteBufAllocator.DEFAULT, out);
		assertThat(out).hasSize(2);
		ByteBuf header = (ByteBuf) out.get(0);
		// fixed header 2, topic 2 + 9, packet id 2, property length 1, content type 13,
		// expiry 5
		assertThat(header.readableBytes()).isEqualTo(2 + 11 + 2 + 1 + 13 + 5);
		assertThat(header.capacity()).isEqualTo(header.readableBytes());
		ByteBuf view = (ByteBuf) out.get(1);
		assertThat(view.memoryAddress()).isEqualTo(payload.memoryAddress());
		header.release();
		view.release();
		assertThat(payload.refCnt()).isZero();
	}

	@Test
	void decodedMqtt5PublishPayloadIsASliceOfTheInputNotACopy() {
		ByteBuf in = Unpooled.wrappedBuffer(bytes(0x30, 0x0A, 0x00, 0x01, 't', 0x03, 0x23, 0x00, 0x01, /*
																										 * alias
																										 * 1
																										 */
				'o', 'k', '!'));
		Publish publish = (Publish) new PacketDecoder(1024, 5).decode(in);
		assertThat(publish.properties().topicAlias()).isEqualTo(1);
		assertThat(publish.payload().unwrap()).isSameAs((in.unwrap() != null) ? in.unwrap() : in);
		assertThat(publish.payload().toString(StandardCharsets.US_ASCII)).isEqualTo("ok!");
		assertThat(in.refCnt()).isEqualTo(2);
		publish.payload().release();
		assertThat(in.refCnt()).isEqualTo(1);
	}

	@Test
	void arrayPublishAndPublishHeaderCarryPropertiesOnMqtt5() {
		PacketProperties properties = PacketProperties.builder().topicAlias(2).build();
		ByteBuf target = Unpooled.buffer();
		PacketEncoder.MQTT_5.encodePublish("a", 1, true, false, 9, properties, bytes('p'), target);
		Publish decoded = (Publish) new PacketDecoder(1024, 5).decode(target);
		assertThat(decoded)
			.isEqualTo(new Publish("a", 1, true, false, 9, Unpooled.wrappedBuffer(bytes('p')), properties));
		decoded.payload().release();
		ByteBuf header = PacketEncoder.MQTT_5.publishHeader("a", 0, false, false, 0, PacketProperties.NONE, 1,
				ByteBufAllocator.DEFAULT);
		assertThat(header.readableBytes()).isEqualTo(header.capacity()).isEqualTo(2 + 3 + 1);
		header.release();
		// without properties, MQTT_5's array encoding still writes the property length
		ByteBuf plain = Unpooled.buffer();
		PacketEncoder.MQTT_5.encodePublish("a", 0, false, false, 0, bytes('p'), plain);
		assertThat(ByteBufBytes.of(plain)).containsExactly(0x30, 0x05, 0x00, 0x01, 'a', 0x00, 'p');
		// and the 3.1.1 encoder refuses properties it cannot write
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PacketEncoder.INSTANCE.encodePublish("a", 0, false, false, 0, properties, bytes('p'),
					Unpooled.buffer()))
			.withMessageContaining("need MQTT 5");
	}

	@Test
	void theSameRecordsStillWriteMqtt311BytesOnTheDefaultEncoder() {
		assertThat(Bytes.encode(new PubAck(10))).containsExactly(0x40, 0x02, 0x00, 0x0A);
		assertThat(Bytes.encode(new Publish("t", 0, false, false, 0, Unpooled.wrappedBuffer(bytes('x')))))
			.containsExactly(0x30, 0x04, 0x00, 0x01, 't', 'x');
		// a level 5 CONNECT is written as MQTT 5 by either encoder: the level says which
		assertThat(Bytes.encode(new Connect(5, true, 60, "ab", null, null, null)))
			.isEqualTo(encode5(new Connect(5, true, 60, "ab", null, null, null)));
	}

	@Test
	void checkConnectGivesTheLevel5RemainingLengthAndRefusesWhatCannotBeWritten() {
		Connect connect = new Connect(5, true, 60, "c",
				new Will("w", bytes('x'), 0, false, PacketProperties.builder().willDelayInterval(5).build()), "u", null,
				PacketProperties.builder().receiveMaximum(10).build());
		byte[] wire = encode5(connect);
		assertThat(PacketEncoder.checkConnect(connect)).isEqualTo(wire.length - 2);
		Connect wrong = new Connect(5, true, 60, "c", null, null, null,
				PacketProperties.builder().topicAlias(1).build());
		assertThatIllegalArgumentException().isThrownBy(() -> PacketEncoder.checkConnect(wrong))
			.withMessageContaining("Topic Alias is not a property of CONNECT");
	}

	static PacketProperties sample(int id) {
		PacketPropertiesBuilder b = PacketProperties.builder();
		switch (id) {
			case 0x01 -> b.payloadFormatIndicator(1);
			case 0x02 -> b.messageExpiryInterval(0xFFFF_FFFFL);
			case 0x03 -> b.contentType("application/json; charset=utf-8");
			case 0x08 -> b.responseTopic("reply/ünï");
			case 0x09 -> b.correlationData(bytes(0, 1, 0xFF));
			case 0x0B -> b.subscriptionIdentifier(268_435_455);
			case 0x11 -> b.sessionExpiryInterval(0xFFFF_FFFFL);
			case 0x12 -> b.assignedClientIdentifier("auto-7F3A");
			case 0x13 -> b.serverKeepAlive(65_535);
			case 0x15 -> b.authenticationMethod("SCRAM-SHA-256");
			case 0x16 -> b.authenticationMethod("SCRAM-SHA-256").authenticationData(bytes(1, 2, 3));
			case 0x17 -> b.requestProblemInformation(0);
			case 0x18 -> b.willDelayInterval(30);
			case 0x19 -> b.requestResponseInformation(1);
			case 0x1A -> b.responseInformation("responses/");
			case 0x1C -> b.serverReference("other.example:1883");
			case 0x1F -> b.reasonString("ça ne va pas");
			case 0x21 -> b.receiveMaximum(1);
			case 0x22 -> b.topicAliasMaximum(65_535);
			case 0x23 -> b.topicAlias(65_535);
			case 0x24 -> b.maximumQos(1);
			case 0x25 -> b.retainAvailable(0);
			case 0x26 -> b.userProperty("k", "v1").userProperty("k", "v2").userProperty("", "");
			case 0x27 -> b.maximumPacketSize(0xFFFF_FFFFL);
			case 0x28 -> b.wildcardSubscriptionAvailable(0);
			case 0x29 -> b.subscriptionIdentifierAvailable(0);
			case 0x2A -> b.sharedSubscriptionAvailable(0);
			default -> {
				return null;
			}
		}
		return b.build();
	}

	/**
	 * A packet of {@code type} carrying {@code properties} ({@link PropertyCodec#WILL}:
	 * in its will).
	 */
	static Packet packet(int type, PacketProperties properties) {
		Function<PacketProperties, Packet> make = switch (type) {
			case PropertyCodec.WILL ->
				(p) -> new Connect(5, true, 10, "c", new Will("w", bytes('x'), 1, false, p), "u", null);
			case 1 -> (p) -> new Connect(5, true, 10, "c", null, null, null, p);
			case 2 -> (p) -> new ConnAck(false, 0, p);
			case 3 -> (p) -> new Publish("t", 1, false, false, 7, Unpooled.wrappedBuffer(bytes('x')), p);
			case 4 -> (p) -> new PubAck(7, 0, p);
			case 5 -> (p) -> new PubRec(7, 0, p);
			case 6 -> (p) -> new PubRel(7, 0, p);
			case 7 -> (p) -> new PubComp(7, 0, p);
			case 8 -> (p) -> new Subscribe(7, List.of(new Subscription("a/+", 1)), p);
			case 9 -> (p) -> new SubAck(7, List.of(1), p);
			case 10 -> (p) -> new Unsubscribe(7, List.of("a"), p);
			case 11 -> (p) -> new UnsubAck(7, List.of(0), p);
			case 14 -> (p) -> new Disconnect(0, p);
			case 15 -> (p) -> new Auth(0x18,
					(p.authenticationMethod() != null) ? p : p.toBuilder().authenticationMethod("m").build());
			default -> throw new IllegalArgumentException("type " + type);
		};
		return make.apply(properties);
	}

	private static PacketProperties properties(Packet packet, int type) {
		if (type == PropertyCodec.WILL) {
			return ((Connect) packet).will().properties();
		}
		if (packet instanceof Auth auth) {
			return auth.properties().authenticationMethod().equals("m")
					? auth.properties().toBuilder().authenticationMethod(null).build() : auth.properties();
		}
		return switch (packet.type()) {
			case 1 -> ((Connect) packet).properties();
			case 2 -> ((ConnAck) packet).properties();
			case 3 -> ((Publish) packet).properties();
			case 4 -> ((PubAck) packet).properties();
			case 5 -> ((PubRec) packet).properties();
			case 6 -> ((PubRel) packet).properties();
			case 7 -> ((PubComp) packet).properties();
			case 8 -> ((Subscribe) packet).properties();
			case 9 -> ((SubAck) packet).properties();
			case 10 -> ((Unsubscribe) packet).properties();
			case 11 -> ((UnsubAck) packet).properties();
			default -> ((Disconnect) packet).properties();
		};
	}

}
