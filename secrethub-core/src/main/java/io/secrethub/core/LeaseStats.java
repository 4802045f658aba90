package io.secrethub.core;

/**
 * What this instance's expiration manager has done since it started (other instances sharing the
 * database keep their own figures).
 *
 * @param claimed leases claimed for revocation (expired, or queued by revoke-prefix)
 * @param revoked leases this instance revoked, in the background or through {@link Leases#revoke}
 * @param failedAttempts revocation attempts that failed (each is retried with backoff, up to the limit)
 * @param irrevocable leases this instance gave up on and marked {@link LeaseState#IRREVOCABLE}
 * @param released claimed leases handed back unprocessed (the instance sealed or closed meanwhile)
 */
public record LeaseStats(long claimed, long revoked, long failedAttempts, long irrevocable, long released) {
}
