package io.secrethub.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What SecretHub knows about a token (never the token).
 *
 * @param accessor names the token for revocation and audit
 * @param policies its policies
 * @param displayName its origin, e.g. {@code root} or {@code approle:web}
 * @param createdAt when it was issued
 * @param ttl the TTL it was issued with, or {@code null} for no expiry
 * @param expiresAt when it expires, or {@code null} for never
 * @param renewableUntil the limit renewals cannot pass, or {@code null} for none
 * @param leaseId the token's lease, or {@code null} for a token without expiry (root)
 */
public record TokenInfo(String accessor, List<String> policies, String displayName, Instant createdAt,
        Duration ttl, Instant expiresAt, Instant renewableUntil, String leaseId) {

    public TokenInfo {
        policies = List.copyOf(policies);
    }
}
