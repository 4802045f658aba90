package io.secrethub.core.crypto;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Randomness for keys, nonces, tokens and accessors: a NIST SP 800-90A DRBG ({@code SecureRandom "DRBG"}, the
 * JDK's, seeded from the operating system) per thread.
 *
 * <p>Per thread because the platform default (NativePRNG on Linux) serializes every {@code nextBytes} on one
 * lock, and a login alone draws three times (token, accessor, lease id). Each instance is seeded independently
 * by the JDK, so no two threads share a stream.
 */
public final class Randoms {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Randoms::newDrbg);

    private Randoms() {
    }

    private static SecureRandom newDrbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom(); // every JDK since 9 has DRBG; keep working on one that does not
        }
    }

    /** This thread's generator. */
    public static SecureRandom secureRandom() {
        return RANDOM.get();
    }

    public static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.get().nextBytes(bytes);
        return bytes;
    }

    /** {@code count} random bytes as unpadded base64url text. */
    public static String base64Url(int count) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(count));
    }
}
