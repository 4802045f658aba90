package io.secrethub.core.lease;

import io.secrethub.core.keyring.RowMacs;
import java.time.Duration;
import java.time.Instant;

/**
 * A lease about to be stored, together with what it stands for (in the same transaction, or just
 * before it: see the database engine's write-ahead order).
 *
 * @param payload what revocation needs, already encrypted with {@link LeasePayloads}, or {@code null}
 * @param ownerAccessor the accessor of the token that obtains the lease (for a token's own lease, that token's):
 *     revoking that token revokes the lease, and only it (or sudo) may renew or revoke the lease by id
 */
public record NewLease(String leaseId, String kind, Instant issuedAt, Duration ttl, Instant expireAt,
        Instant maxExpireAt, boolean renewable, byte[] payload, String ownerAccessor, byte[] mac) {

    /** A lease without its row MAC yet: see {@link #authenticated}. */
    public NewLease(String leaseId, String kind, Instant issuedAt, Duration ttl, Instant expireAt, Instant maxExpireAt,
            boolean renewable, byte[] payload, String ownerAccessor) {
        this(leaseId, kind, issuedAt, ttl, expireAt, maxExpireAt, renewable, payload, ownerAccessor, null);
    }

    /** This lease with its row MAC, as it must be stored (a lease row without one is refused when read). */
    public NewLease authenticated(RowMacs macs) {
        return new NewLease(leaseId, kind, issuedAt, ttl, expireAt, maxExpireAt, renewable, payload, ownerAccessor,
                LeaseStore.mac(macs, leaseId, kind, issuedAt, storedTtlSeconds(), maxExpireAt, renewable, payload,
                        ownerAccessor));
    }

    /** The TTL as stored: whole seconds, at least one. */
    long storedTtlSeconds() {
        return Math.max(1, ttl.toSeconds());
    }

    @Override
    public String toString() {
        return "NewLease[" + leaseId + ", " + kind + ", expires " + expireAt + "]";
    }
}
