package io.umqtt.core.store;

import java.security.GeneralSecurityException;

import javax.crypto.SecretKey;

/**
 * Encryption at rest for a {@link FileSessionStore}: seals the topic and payload of every
 * stored message before it reaches the file, and opens them when the store is read back.
 * Packet ids, QoS, the retain flag and QoS 2 states stay readable, and the client id is
 * part of the file name.
 * <p>
 * {@link #open} must reject what it did not seal (an authenticated cipher such as AES-GCM
 * does): the store then refuses to open, naming the file and the record, rather than
 * restore garbage. Called on the thread that uses the store, one call at a time.
 */
public interface StoreCipher {

	/**
	 * Seals plain bytes.
	 * @param plaintext the bytes to protect
	 * @return the sealed bytes, at most 64 KiB longer than {@code plaintext}
	 * @throws GeneralSecurityException when sealing fails
	 */
	byte[] seal(byte[] plaintext) throws GeneralSecurityException;

	/**
	 * Opens what {@link #seal} returned.
	 * @param sealed sealed bytes
	 * @return the plain bytes
	 * @throws GeneralSecurityException when the bytes were not sealed with this key, or
	 * were altered
	 */
	byte[] open(byte[] sealed) throws GeneralSecurityException;

	/**
	 * AES in Galois/Counter Mode from the JDK: a random 96-bit nonce per record, a
	 * 128-bit tag.
	 * @param key an AES key of 128, 192 or 256 bits; keep it outside the store's
	 * directory
	 * @return the cipher
	 */
	static StoreCipher aesGcm(SecretKey key) {
		return new AesGcmStoreCipher(key);
	}

}
