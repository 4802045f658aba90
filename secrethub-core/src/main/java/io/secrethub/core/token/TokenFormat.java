package io.secrethub.core.token;

import io.secrethub.core.crypto.Hmacs;
import io.secrethub.core.crypto.KeyMaterial;
import io.secrethub.core.crypto.Randoms;
import java.nio.charset.StandardCharsets;

/** How tokens and accessors look, and how tokens are hashed for storage. */
final class TokenFormat {

    /** Prefix of service tokens, so that a leaked token is recognisable (e.g. by secret scanners). */
    static final String PREFIX = "shs.";
    /** 256 random bits: guessing is hopeless, so a fast keyed hash is the right storage form. */
    static final int TOKEN_RANDOM_BYTES = 32;
    static final int ACCESSOR_RANDOM_BYTES = 18;
    /** Anything longer is not one of our tokens; refuse before hashing attacker-sized input. */
    static final int MAX_TOKEN_LENGTH = 128;

    private TokenFormat() {
    }

    static String newToken() {
        return PREFIX + Randoms.base64Url(TOKEN_RANDOM_BYTES);
    }

    static String newAccessor() {
        return Randoms.base64Url(ACCESSOR_RANDOM_BYTES);
    }

    /** Whether {@code token} could be one of ours at all. */
    static boolean plausible(String token) {
        return token != null && token.length() <= MAX_TOKEN_LENGTH && token.startsWith(PREFIX);
    }

    static byte[] hash(KeyMaterial tokenHashKey, String token) {
        return Hmacs.hmac(tokenHashKey, token.getBytes(StandardCharsets.UTF_8));
    }
}
