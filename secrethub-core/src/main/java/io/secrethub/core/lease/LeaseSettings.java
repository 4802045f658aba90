package io.secrethub.core.lease;

import java.time.Duration;

/**
 * How the expiration manager works; set on {@link io.secrethub.core.SecretHub.Builder}.
 *
 * @param pollInterval how often it looks for due leases when there were none (it keeps claiming
 *     without pause while full batches come back)
 * @param concurrency revocation tasks running at once on this instance
 * @param batchSize leases claimed per claim query
 * @param maxAttempts failed attempts after which a lease is marked irrevocable
 * @param backoffBase delay after the first failed attempt; doubles per attempt
 * @param backoffMax the longest delay between attempts
 * @param claimTimeout how long a claim holds a lease before another instance may take it over (an
 *     instance that died mid-revocation)
 * @param revokedRetention how long revoked leases stay visible to lookups before they are purged
 * @param dutyCycle the largest share of the time a backlog may keep the manager busy (0 < d <= 1): after a
 *     full batch it pauses for {@code busy × (1 − d) / d}, so a mass expiry drains steadily instead of taking
 *     the CPU and the database from the requests being served
 */
public record LeaseSettings(Duration pollInterval, int concurrency, int batchSize, int maxAttempts,
        Duration backoffBase, Duration backoffMax, Duration claimTimeout, Duration revokedRetention,
        double dutyCycle) {

    public static LeaseSettings defaults() {
        return new LeaseSettings(Duration.ofSeconds(1), 2, 500, 6, Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofMinutes(5), Duration.ofHours(1), 0.25);
    }

    /** How long to pause after a full batch that kept the manager busy for {@code busyNanos}. */
    long pauseNanos(long busyNanos) {
        return dutyCycle >= 1 ? 0 : (long) (busyNanos * (1 - dutyCycle) / dutyCycle);
    }
}
