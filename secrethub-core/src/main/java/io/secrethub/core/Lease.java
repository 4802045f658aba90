package io.secrethub.core;

import java.time.Duration;
import java.time.Instant;

/**
 * What SecretHub knows about a lease. Nothing in it is secret: a lease id names what was issued, it
 * cannot be used as a credential.
 *
 * @param id the lease id, prefixed by the path that created it, e.g. {@code database/creds/readonly/…}
 * @param state where it is in its life
 * @param issuedAt when it was issued
 * @param ttl the time to live it was issued with (a renewal without an increment extends by this)
 * @param expiresAt when it expires (or expired)
 * @param maxExpiresAt the limit renewals may not pass, or {@code null} for none
 * @param renewable whether {@link Leases#renew} may extend it
 * @param attempts revocation attempts so far
 * @param nextAttemptAt while {@link LeaseState#REVOKING}, when the next attempt is due; else {@code null} or the expiry
 * @param lastError why the last revocation attempt failed (step and SQLSTATE, never credentials), or {@code null}
 */
public record Lease(String id, LeaseState state, Instant issuedAt, Duration ttl, Instant expiresAt,
        Instant maxExpiresAt, boolean renewable, int attempts, Instant nextAttemptAt, String lastError) {
}
