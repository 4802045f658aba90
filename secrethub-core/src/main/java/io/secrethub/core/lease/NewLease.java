package io.secrethub.core.lease;

import java.time.Duration;
import java.time.Instant;

/**
 * A lease about to be stored, together with what it stands for (in the same transaction, or just
 * before it: see the database engine's write-ahead order).
 *
 * @param payload what revocation needs, already encrypted with {@link LeasePayloads}, or {@code null}
 */
public record NewLease(String leaseId, String kind, Instant issuedAt, Duration ttl, Instant expireAt,
        Instant maxExpireAt, boolean renewable, byte[] payload) {

    @Override
    public String toString() {
        return "NewLease[" + leaseId + ", " + kind + ", expires " + expireAt + "]";
    }
}
