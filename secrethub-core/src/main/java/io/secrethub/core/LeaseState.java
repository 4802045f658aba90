package io.secrethub.core;

/** Where a lease is in its life. */
public enum LeaseState {
    /** Valid until it expires; may be renewed if renewable. */
    ACTIVE,
    /** Expired or revoked, and its revocation is in progress or waiting for a retry. */
    REVOKING,
    /** Revoked: what it stood for (token, database user) no longer exists. Kept for a while, then purged. */
    REVOKED,
    /**
     * Revocation failed the configured number of times: retries stopped and the lease is reported by
     * {@link Leases#irrevocable}. Fix the cause and {@link Leases#revoke} it again.
     */
    IRREVOCABLE
}
