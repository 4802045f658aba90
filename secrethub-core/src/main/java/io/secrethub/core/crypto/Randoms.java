package io.secrethub.core.crypto;

import java.security.SecureRandom;
import java.util.Base64;

/** The one {@link SecureRandom} of the process, for keys, nonces, tokens and accessors. */
public final class Randoms {

    // SecureRandom is thread-safe; the default (NativePRNG on Linux) never blocks for nextBytes.
    private static final SecureRandom RANDOM = new SecureRandom();

    private Randoms() {
    }

    public static SecureRandom secureRandom() {
        return RANDOM;
    }

    public static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** {@code count} random bytes as unpadded base64url text. */
    public static String base64Url(int count) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(count));
    }
}
