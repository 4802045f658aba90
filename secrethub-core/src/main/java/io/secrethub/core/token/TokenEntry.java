package io.secrethub.core.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What is stored about a token (never the token itself).
 *
 * @param accessor names the token for revocation and audit; cannot authenticate
 * @param policies the policy names that decide what the token may do ({@code root} allows everything)
 * @param displayName a human-readable origin, e.g. {@code root} or {@code approle:web}
 * @param parentAccessor the token that created this one, or {@code null}; revoking a parent revokes it too
 * @param createdAt when it was created
 * @param ttl its time to live as issued, or {@code null} for no expiry
 * @param expiresAt when it expires, or {@code null} for never
 * @param maxExpiresAt the limit renewals may not pass, or {@code null} for none
 * @param leaseId the token's lease (every token with a TTL has one), or {@code null}
 */
public record TokenEntry(String accessor, List<String> policies, String displayName, String parentAccessor,
        Instant createdAt, Duration ttl, Instant expiresAt, Instant maxExpiresAt, String leaseId) {

    public TokenEntry {
        policies = List.copyOf(policies);
    }

    /** Whether the token has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
