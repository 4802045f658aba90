package io.secrethub.core.crypto;

import java.nio.ByteBuffer;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a fresh random 96-bit nonce per message, from the JDK provider.
 *
 * <p>Layout: {@code prefix || nonce (12) || ciphertext || tag (16)}. The prefix (the keyring term) is
 * not encrypted; it selects the key, so altering it only selects a key that fails the tag. With random
 * nonces a key must not encrypt more than 2^32 messages (NIST SP 800-38D); {@code rotate()} starts a
 * new key long before that matters.
 */
public final class Aead {

    public static final int NONCE_BYTES = 12;
    public static final int TAG_BITS = 128;
    public static final int OVERHEAD = NONCE_BYTES + TAG_BITS / 8;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private Aead() {
    }

    /** Encrypts {@code plaintext}, authenticating {@code associatedData} with it. */
    public static byte[] encrypt(KeyMaterial key, byte[] prefix, byte[] plaintext, byte[] associatedData) {
        byte[] nonce = Randoms.bytes(NONCE_BYTES);
        Cipher cipher = key.cipher(TRANSFORMATION, Cipher.ENCRYPT_MODE, new GCMParameterSpec(TAG_BITS, nonce));
        byte[] out = new byte[prefix.length + NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(nonce, 0, out, prefix.length, NONCE_BYTES);
        try {
            cipher.updateAAD(associatedData);
            cipher.doFinal(plaintext, 0, plaintext.length, out, prefix.length + NONCE_BYTES);
        } catch (ShortBufferException | javax.crypto.IllegalBlockSizeException | javax.crypto.BadPaddingException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        return out;
    }

    /**
     * Decrypts what {@link #encrypt} produced, skipping {@code prefixLength} bytes.
     *
     * @throws AEADBadTagException if the data, the associated data or the key is not the one used to encrypt
     */
    public static byte[] decrypt(KeyMaterial key, byte[] sealed, int prefixLength, byte[] associatedData)
            throws AEADBadTagException {
        if (sealed.length < prefixLength + OVERHEAD) {
            throw new AEADBadTagException("ciphertext too short");
        }
        GCMParameterSpec spec = new GCMParameterSpec(TAG_BITS, sealed, prefixLength, NONCE_BYTES);
        Cipher cipher = key.cipher(TRANSFORMATION, Cipher.DECRYPT_MODE, spec);
        int offset = prefixLength + NONCE_BYTES;
        try {
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, offset, sealed.length - offset);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (javax.crypto.IllegalBlockSizeException | javax.crypto.BadPaddingException e) {
            AEADBadTagException bad = new AEADBadTagException("ciphertext rejected");
            bad.initCause(e);
            throw bad;
        }
    }

    /** The 4-byte big-endian encoding of a keyring term, used as the ciphertext prefix. */
    public static byte[] termPrefix(int term) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(term).array();
    }

    /** The term a ciphertext was written under. */
    public static int termOf(byte[] sealed) throws AEADBadTagException {
        if (sealed.length < Integer.BYTES + OVERHEAD) {
            throw new AEADBadTagException("ciphertext too short");
        }
        return ByteBuffer.wrap(sealed, 0, Integer.BYTES).getInt();
    }
}
