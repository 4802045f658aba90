package io.secrethub.core;

import java.time.Instant;

/**
 * The keyring's active term: new values are encrypted with it, values written under older terms
 * still decrypt.
 *
 * @param term the active term number (1 after initialization, +1 per rotation)
 * @param installTime when that term was created
 * @param encryptions how many values were encrypted under that term, by every instance as far as this one knows
 *     (instances add their counts every keyring refresh); the keyring rotates by itself before AES-GCM's random
 *     nonce budget (2^32) runs out, at about 3.86 × 10^9 like Vault
 */
public record KeyStatus(int term, Instant installTime, long encryptions) {

    /** A status without an encryption count. */
    public KeyStatus(int term, Instant installTime) {
        this(term, installTime, 0);
    }
}
