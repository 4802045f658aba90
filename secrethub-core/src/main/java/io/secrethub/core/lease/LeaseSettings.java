package io.secrethub.core.lease;

import java.time.Duration;
import java.util.Objects;

/**
 * How the expiration manager works; set on {@link io.secrethub.core.SecretHubBuilder}. Validated here, once:
 * the messages name the builder's setters, which is where a caller sets these.
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

    /** @throws IllegalArgumentException naming the builder setting that is out of range */
    public LeaseSettings {
        positive(pollInterval, "leasePollInterval");
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("leaseRevocationConcurrency must be between 1 and 64");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("leaseBatchSize must be between 1 and 10000");
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("leaseMaxAttempts must be between 1 and 100");
        }
        positive(backoffBase, "leaseRetryBackoff base");
        positive(backoffMax, "leaseRetryBackoff max");
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("leaseRetryBackoff max must not be shorter than base");
        }
        positive(claimTimeout, "lease claimTimeout");
        positive(revokedRetention, "revokedLeaseRetention");
        if (!(dutyCycle > 0 && dutyCycle <= 1)) {
            throw new IllegalArgumentException("leaseDutyCycle must be more than 0 and at most 1, was " + dutyCycle);
        }
    }

    public static LeaseSettings defaults() {
        return new LeaseSettings(Duration.ofSeconds(1), 2, 500, 6, Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofMinutes(5), Duration.ofHours(1), 0.25);
    }

    public LeaseSettings withPollInterval(Duration interval) {
        return new LeaseSettings(interval, concurrency, batchSize, maxAttempts, backoffBase, backoffMax, claimTimeout,
                revokedRetention, dutyCycle);
    }

    public LeaseSettings withConcurrency(int tasks) {
        return new LeaseSettings(pollInterval, tasks, batchSize, maxAttempts, backoffBase, backoffMax, claimTimeout,
                revokedRetention, dutyCycle);
    }

    public LeaseSettings withBatchSize(int leases) {
        return new LeaseSettings(pollInterval, concurrency, leases, maxAttempts, backoffBase, backoffMax, claimTimeout,
                revokedRetention, dutyCycle);
    }

    public LeaseSettings withMaxAttempts(int attempts) {
        return new LeaseSettings(pollInterval, concurrency, batchSize, attempts, backoffBase, backoffMax, claimTimeout,
                revokedRetention, dutyCycle);
    }

    public LeaseSettings withBackoff(Duration base, Duration max) {
        return new LeaseSettings(pollInterval, concurrency, batchSize, maxAttempts, base, max, claimTimeout,
                revokedRetention, dutyCycle);
    }

    public LeaseSettings withRevokedRetention(Duration retention) {
        return new LeaseSettings(pollInterval, concurrency, batchSize, maxAttempts, backoffBase, backoffMax,
                claimTimeout, retention, dutyCycle);
    }

    public LeaseSettings withDutyCycle(double share) {
        return new LeaseSettings(pollInterval, concurrency, batchSize, maxAttempts, backoffBase, backoffMax,
                claimTimeout, revokedRetention, share);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** How long to pause after a full batch that kept the manager busy for {@code busyNanos}. */
    long pauseNanos(long busyNanos) {
        return dutyCycle >= 1 ? 0 : (long) (busyNanos * (1 - dutyCycle) / dutyCycle);
    }
}
