package io.secrethub.core.lease;

import io.secrethub.core.keyring.Barrier;
import java.nio.charset.StandardCharsets;

/**
 * Revocation payloads encrypted through the barrier, bound to their lease id so a payload cannot be
 * moved to another lease row (and, say, make it drop someone else's database user).
 */
public final class LeasePayloads {

    private LeasePayloads() {
    }

    public static byte[] encrypt(Barrier barrier, String leaseId, byte[] plaintext) {
        return barrier.encrypt(plaintext, aad(leaseId));
    }

    public static byte[] decrypt(Barrier barrier, String leaseId, byte[] ciphertext) {
        return barrier.decrypt(ciphertext, aad(leaseId));
    }

    private static byte[] aad(String leaseId) {
        return ("secrethub:lease:" + leaseId).getBytes(StandardCharsets.UTF_8);
    }
}
