package io.umqtt.core;

/**
 * The MQTT 5 reason codes (table 2-6 of the specification): their names, which packets
 * may carry each, and a text for error messages such as
 * {@code Session taken over (0x8E)}. Codes below 0x80 report success, 0x80 and above a
 * failure [MQTT-2.4].
 */
public final class ReasonCode {

	/** Success; on DISCONNECT Normal disconnection; on SUBACK Granted QoS 0. */
	public static final int SUCCESS = 0x00;

	/** SUBACK: Granted QoS 1. */
	public static final int GRANTED_QOS_1 = 0x01;

	/** SUBACK: Granted QoS 2. */
	public static final int GRANTED_QOS_2 = 0x02;

	/** DISCONNECT by the client: publish the will anyway. */
	public static final int DISCONNECT_WITH_WILL = 0x04;

	/** PUBACK, PUBREC: accepted, but nobody subscribes to it. */
	public static final int NO_MATCHING_SUBSCRIBERS = 0x10;

	/** UNSUBACK: there was no such subscription. */
	public static final int NO_SUBSCRIPTION_EXISTED = 0x11;

	/** AUTH: Continue authentication. */
	public static final int CONTINUE_AUTHENTICATION = 0x18;

	/** AUTH: Re-authenticate. */
	public static final int REAUTHENTICATE = 0x19;

	/** Unspecified error. */
	public static final int UNSPECIFIED_ERROR = 0x80;

	/** Malformed Packet. */
	public static final int MALFORMED_PACKET = 0x81;

	/** Protocol Error. */
	public static final int PROTOCOL_ERROR = 0x82;

	/** Session taken over: another connection used the same client identifier. */
	public static final int SESSION_TAKEN_OVER = 0x8E;

	/** Receive Maximum exceeded. */
	public static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;

	/** Topic Alias invalid. */
	public static final int TOPIC_ALIAS_INVALID = 0x94;

	/** Packet too large. */
	public static final int PACKET_TOO_LARGE = 0x95;

	private static final String[] NAMES = new String[256];

	static {
		NAMES[0x00] = "Success";
		NAMES[0x01] = "Granted QoS 1";
		NAMES[0x02] = "Granted QoS 2";
		NAMES[0x04] = "Disconnect with Will Message";
		NAMES[0x10] = "No matching subscribers";
		NAMES[0x11] = "No subscription existed";
		NAMES[0x18] = "Continue authentication";
		NAMES[0x19] = "Re-authenticate";
		NAMES[0x80] = "Unspecified error";
		NAMES[0x81] = "Malformed Packet";
		NAMES[0x82] = "Protocol Error";
		NAMES[0x83] = "Implementation specific error";
		NAMES[0x84] = "Unsupported Protocol Version";
		NAMES[0x85] = "Client Identifier not valid";
		NAMES[0x86] = "Bad User Name or Password";
		NAMES[0x87] = "Not authorized";
		NAMES[0x88] = "Server unavailable";
		NAMES[0x89] = "Server busy";
		NAMES[0x8A] = "Banned";
		NAMES[0x8B] = "Server shutting down";
		NAMES[0x8C] = "Bad authentication method";
		NAMES[0x8D] = "Keep Alive timeout";
		NAMES[0x8E] = "Session taken over";
		NAMES[0x8F] = "Topic Filter invalid";
		NAMES[0x90] = "Topic Name invalid";
		NAMES[0x91] = "Packet Identifier in use";
		NAMES[0x92] = "Packet Identifier not found";
		NAMES[0x93] = "Receive Maximum exceeded";
		NAMES[0x94] = "Topic Alias invalid";
		NAMES[0x95] = "Packet too large";
		NAMES[0x96] = "Message rate too high";
		NAMES[0x97] = "Quota exceeded";
		NAMES[0x98] = "Administrative action";
		NAMES[0x99] = "Payload format invalid";
		NAMES[0x9A] = "Retain not supported";
		NAMES[0x9B] = "QoS not supported";
		NAMES[0x9C] = "Use another server";
		NAMES[0x9D] = "Server moved";
		NAMES[0x9E] = "Shared Subscriptions not supported";
		NAMES[0x9F] = "Connection rate exceeded";
		NAMES[0xA0] = "Maximum connect time";
		NAMES[0xA1] = "Subscription Identifiers not supported";
		NAMES[0xA2] = "Wildcard Subscriptions not supported";
	}

	/**
	 * Per packet type (1 CONNECT … 15 AUTH), the codes it may carry: 256 bits as four
	 * longs.
	 */
	private static final long[][] ALLOWED = new long[16][];

	static {
		ALLOWED[2] = bits(0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95,
				0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F);
		ALLOWED[4] = bits(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
		ALLOWED[5] = ALLOWED[4];
		ALLOWED[6] = bits(0x00, 0x92);
		ALLOWED[7] = ALLOWED[6];
		ALLOWED[9] = bits(0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2);
		ALLOWED[11] = bits(0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91);
		ALLOWED[14] = bits(0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94,
				0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2);
		ALLOWED[15] = bits(0x00, 0x18, 0x19);
	}

	private ReasonCode() {
	}

	private static long[] bits(int... codes) {
		long[] bits = new long[4];
		for (int code : codes) {
			bits[code >> 6] |= 1L << (code & 63);
		}
		return bits;
	}

	/**
	 * Whether a packet type may carry a reason code: CONNACK (2), PUBACK (4), PUBREC (5),
	 * PUBREL (6), PUBCOMP (7), SUBACK (9), UNSUBACK (11), DISCONNECT (14) and AUTH (15)
	 * each have their own set [MQTT-3.2.2.2, 3.4.2.1, 3.5.2.1, 3.6.2.1, 3.7.2.1, 3.9.3,
	 * 3.11.3, 3.14.2.1, 3.15.2.1].
	 * @param packetType the control packet type, 1 to 15
	 * @param code the reason code
	 * @return whether that packet may carry it
	 */
	public static boolean allowed(int packetType, int code) {
		if (packetType < 0 || packetType > 15 || code < 0 || code > 255) {
			return false;
		}
		long[] bits = ALLOWED[packetType];
		return bits != null && (bits[code >> 6] & (1L << (code & 63))) != 0;
	}

	/**
	 * Whether a code reports a failure: 0x80 and above.
	 * @param code the reason code
	 * @return whether it is an error
	 */
	public static boolean isError(int code) {
		return code >= 0x80;
	}

	/**
	 * The name the specification gives a code on a packet: 0x00 is "Normal disconnection"
	 * on DISCONNECT, "Granted QoS 0" on SUBACK, "Success" elsewhere.
	 * @param code the reason code
	 * @param packetType the control packet type carrying it, 1 to 15
	 * @return its name, or {@code Unknown reason code} when the specification has none
	 */
	public static String name(int code, int packetType) {
		if (code == 0x00) {
			return (packetType == 14) ? "Normal disconnection" : (packetType == 9) ? "Granted QoS 0" : "Success";
		}
		return name(code);
	}

	/**
	 * The name of a code apart from any packet (0x00 is "Success").
	 * @param code the reason code
	 * @return its name, or {@code Unknown reason code}
	 */
	public static String name(int code) {
		String name = (code >= 0 && code <= 255) ? NAMES[code] : null;
		return (name != null) ? name : "Unknown reason code";
	}

	/**
	 * A code for error texts: its name and value, e.g. {@code Session taken over (0x8E)}.
	 * @param code the reason code
	 * @param packetType the control packet type carrying it
	 * @return the text
	 */
	public static String describe(int code, int packetType) {
		return name(code, packetType) + " (" + hex(code) + ")";
	}

	/**
	 * A code as two hexadecimal digits: {@code 0x8E}.
	 * @param code the reason code
	 * @return the text
	 */
	public static String hex(int code) {
		return String.format("0x%02X", code);
	}

}
