package io.secrethub.core.auth;

import io.secrethub.core.crypto.Randoms;
import java.nio.charset.StandardCharsets;

/** How secret_ids look. */
final class SecretIds {

    /** Prefix, so a leaked secret_id is recognisable (secret scanners). */
    static final String PREFIX = "shsid.";
    /** 256 random bits: a fast keyed hash is the right storage form, no slow KDF needed. */
    static final int RANDOM_BYTES = 32;
    /** Longer input is not ours; it is hashed as empty so the work stays the same. */
    static final int MAX_LENGTH = 128;

    private SecretIds() {
    }

    static String newSecretId() {
        return PREFIX + Randoms.base64Url(RANDOM_BYTES);
    }

    static String newAccessor() {
        return Randoms.base64Url(18);
    }

    /** The bytes to HMAC: the presented value, or empty when it is absent or oversized. */
    static byte[] bytesOf(String secretId) {
        if (secretId == null || secretId.length() > MAX_LENGTH) {
            return new byte[0];
        }
        return secretId.getBytes(StandardCharsets.UTF_8);
    }
}
