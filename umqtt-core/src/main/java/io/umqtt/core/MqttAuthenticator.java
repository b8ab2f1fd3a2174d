package io.umqtt.core;

/**
 * MQTT 5 enhanced authentication: the method named in CONNECT and the exchange of AUTH
 * packets that follows it, on connect and on re-authentication.
 */
public interface MqttAuthenticator {

	/**
	 * The authentication method, sent as the Authentication Method property (e.g.
	 * {@code SCRAM-SHA-256}).
	 * @return the method's name
	 */
	String method();

	/**
	 * The data sent with CONNECT (or with an AUTH starting a re-authentication).
	 * @return the initial authentication data, or {@code null} for none
	 */
	byte[] initialData();

	/**
	 * Answers the server's challenge, an AUTH with reason code 0x18 (Continue
	 * authentication).
	 * @param data the server's authentication data, or {@code null} when it sent none
	 * @return the data to send back in the client's AUTH
	 */
	byte[] onChallenge(byte[] data);

}
