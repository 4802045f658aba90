package io.secrethub.core.token;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a new token should be.
 *
 * @param policies its policies
 * @param displayName where it came from, e.g. {@code approle:web}
 * @param ttl its time to live, or {@code null} for no expiry (only the root token has none)
 * @param maxTtl how far renewals may extend it from creation, or {@code null} for no limit
 * @param parentAccessor the creating token's accessor, or {@code null}
 */
public record TokenSpec(List<String> policies, String displayName, Duration ttl, Duration maxTtl,
        String parentAccessor) {

    public TokenSpec {
        policies = List.copyOf(policies);
        Objects.requireNonNull(displayName, "displayName");
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        if (maxTtl != null && ttl != null && maxTtl.compareTo(ttl) < 0) {
            throw new IllegalArgumentException("maxTtl must not be shorter than ttl");
        }
    }

    /** The root token: policy {@code root}, no expiry, no parent. */
    public static TokenSpec root() {
        return new TokenSpec(List.of("root"), "root", null, null, null);
    }
}
