package io.secrethub.perf;

import java.time.Duration;

/**
 * Latency statistics of successful operations, in nanoseconds, read from an HdrHistogram with three significant
 * digits (so each figure is within 0.1% of the recorded value).
 *
 * @param count successful operations recorded
 * @param meanNanos mean latency
 * @param minNanos smallest latency
 * @param p50Nanos median latency
 * @param p90Nanos 90th percentile
 * @param p95Nanos 95th percentile
 * @param p99Nanos 99th percentile
 * @param p999Nanos 99.9th percentile
 * @param maxNanos largest latency
 */
public record LatencyStats(
        long count,
        double meanNanos,
        long minNanos,
        long p50Nanos,
        long p90Nanos,
        long p95Nanos,
        long p99Nanos,
        long p999Nanos,
        long maxNanos) {

    /** Statistics of nothing: every figure 0. */
    public static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The mean latency, rounded to the nanosecond. */
    public Duration mean() {
        return Duration.ofNanos(Math.round(meanNanos));
    }

    /** The smallest latency. */
    public Duration min() {
        return Duration.ofNanos(minNanos);
    }

    /** The median latency. */
    public Duration p50() {
        return Duration.ofNanos(p50Nanos);
    }

    /** The 90th percentile latency. */
    public Duration p90() {
        return Duration.ofNanos(p90Nanos);
    }

    /** The 95th percentile latency. */
    public Duration p95() {
        return Duration.ofNanos(p95Nanos);
    }

    /** The 99th percentile latency. */
    public Duration p99() {
        return Duration.ofNanos(p99Nanos);
    }

    /** The 99.9th percentile latency. */
    public Duration p999() {
        return Duration.ofNanos(p999Nanos);
    }

    /** The largest latency. */
    public Duration max() {
        return Duration.ofNanos(maxNanos);
    }
}
