package io.secrethub.core.lease;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of
 * {@code min(max, base * 2^(n-1))}, so retries of leases that failed together spread out instead of
 * hitting a struggling server in lock step, and each attempt still waits at least as long as the
 * previous one did at most.
 */
final class Backoff {

    private final long baseMillis;
    private final long maxMillis;

    Backoff(Duration base, Duration max) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.maxMillis = Math.max(baseMillis, max.toMillis());
    }

    /** The delay after failed attempt number {@code attempt} (1 for the first). */
    Duration after(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 40);
        long ceiling = baseMillis << doublings;
        if (ceiling <= 0 || ceiling > maxMillis) {
            ceiling = maxMillis;
        }
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }
}
