package io.umqtt.core.store;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * {@link StoreCipher#aesGcm(SecretKey)}: sealed bytes are
 * {@code [12-byte nonce][ciphertext][16-byte tag]}.
 */
final class AesGcmStoreCipher implements StoreCipher {

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecretKey key;

	private final SecureRandom random = new SecureRandom();

	AesGcmStoreCipher(SecretKey key) {
		if (!"AES".equalsIgnoreCase(key.getAlgorithm())) {
			throw new IllegalArgumentException("An AES key is needed, not " + key.getAlgorithm());
		}
		byte[] encoded = key.getEncoded();
		if (encoded != null && encoded.length != 16 && encoded.length != 24 && encoded.length != 32) {
			throw new IllegalArgumentException("An AES key has 128, 192 or 256 bits, not " + encoded.length * 8);
		}
		this.key = key;
	}

	@Override
	public byte[] seal(byte[] plaintext) throws GeneralSecurityException {
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		Cipher cipher = Cipher.getInstance(TRANSFORMATION);
		cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, nonce));
		byte[] sealed = Arrays.copyOf(nonce, NONCE_BYTES + cipher.getOutputSize(plaintext.length));
		int written = cipher.doFinal(plaintext, 0, plaintext.length, sealed, NONCE_BYTES);
		return (NONCE_BYTES + written == sealed.length) ? sealed : Arrays.copyOf(sealed, NONCE_BYTES + written);
	}

	@Override
	public byte[] open(byte[] sealed) throws GeneralSecurityException {
		if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
			throw new AEADBadTagException("AES-GCM sealed data has at least " + (NONCE_BYTES + TAG_BITS / 8)
					+ " bytes, these have " + sealed.length);
		}
		Cipher cipher = Cipher.getInstance(TRANSFORMATION);
		cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
		return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
	}

	@Override
	public String toString() {
		return "StoreCipher.aesGcm";
	}

}
