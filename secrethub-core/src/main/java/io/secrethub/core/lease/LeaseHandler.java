package io.secrethub.core.lease;

import io.secrethub.core.keyring.CoreKeys;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Undoes (and extends) one kind of lease: the token handler deletes tokens, the database engine drops
 * users. The expiration manager records the outcome; a handler only does the work.
 */
public interface LeaseHandler {

    /** The {@code leases.kind} this handler owns. */
    String kind();

    /**
     * How many leases one revocation task takes: more than one when one transaction can revoke many
     * (tokens), one when each needs its own round trips to another server (database users).
     */
    int chunkSize();

    /**
     * Revokes every lease in {@code chunk} (at most {@link #chunkSize()}), or throws. Must be
     * idempotent: after a crash a lease can be revoked again by the instance that takes it over.
     * Throw {@link io.secrethub.core.BackendException} or {@link io.secrethub.core.StorageException}
     * with a message fit for {@code last_error} (it is stored and shown).
     */
    void revoke(List<ClaimedLease> chunk, CoreKeys keys);

    /**
     * Extends what the lease stands for to {@code newExpiry}, inside the caller's transaction
     * {@code c} on SecretHub's database (which holds the lease row locked).
     *
     * @return what to run once that transaction has committed (e.g. drop a cache entry), never null
     */
    Runnable renew(Connection c, String leaseId, byte[] payload, Instant newExpiry, CoreKeys keys) throws SQLException;
}
