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
     * Whether {@link #revoke(Connection, List, CoreKeys)} works: the revocation is all in SecretHub's own database
     * (tokens), so the expiration manager can do it in the transaction that holds the due leases' rows locked and
     * marks them revoked. Each expired lease then costs one write of its row instead of two (a claim, then the
     * outcome). Handlers whose work is elsewhere (another server's users) say no, and their leases are claimed.
     */
    default boolean revokesInTransaction() {
        return false;
    }

    /**
     * Revokes every lease in {@code chunk} (at most {@link #chunkSize()}) inside the caller's transaction {@code c}
     * on SecretHub's database, which holds their rows locked and has already marked them revoked (so nothing the
     * handler queues or marks writes them again). Throwing rolls it all back: the leases stay due and are then
     * claimed and revoked through {@link #revoke(List, CoreKeys)}.
     *
     * @return what to run once that transaction has committed (e.g. drop cache entries), never null
     * @throws UnsupportedOperationException unless {@link #revokesInTransaction()}
     */
    default Runnable revoke(Connection c, List<ClaimedLease> chunk, CoreKeys keys) throws SQLException {
        throw new UnsupportedOperationException(kind() + " leases are not revoked inside SecretHub's transaction");
    }

    /**
     * Extends what the lease stands for to {@code newExpiry}, inside the caller's transaction
     * {@code c} on SecretHub's database (which holds the lease row locked).
     *
     * @return what to run once that transaction has committed (e.g. drop a cache entry), never null
     */
    Runnable renew(Connection c, String leaseId, byte[] payload, Instant newExpiry, CoreKeys keys) throws SQLException;
}
