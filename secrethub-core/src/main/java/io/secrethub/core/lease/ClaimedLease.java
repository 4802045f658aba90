package io.secrethub.core.lease;

import io.secrethub.core.keyring.RowMacs;
import java.time.Instant;

/**
 * A lease this instance has claimed for revocation (state {@code revoking}, claim recorded in
 * {@code next_attempt_at}), or holds locked in the transaction that revokes it ({@link LeaseStore#lockDue}).
 *
 * @param attempts the attempt number of this claim (already counted); it also fences the outcome: a
 *     result is recorded only if no later claim has taken the lease over
 * @param payload the encrypted revocation payload, or {@code null}
 */
public record ClaimedLease(String leaseId, String kind, int attempts, byte[] payload, Instant expireAt,
        LeaseStore.Authenticated authenticated) {

    /** @throws io.secrethub.core.IntegrityException if the row was changed behind SecretHub's back */
    void verify(RowMacs macs) {
        authenticated.verify(macs, leaseId, kind, payload);
    }

    @Override
    public String toString() {
        return "ClaimedLease[" + leaseId + ", " + kind + ", attempt " + attempts + "]";
    }
}
