package io.secrethub.perf;

/**
 * The figures of one sampling interval (about a second) of the measured part: what the report's charts over time
 * show. Latencies are of the interval's successful operations only, in nanoseconds.
 *
 * @param startSeconds the interval's start, in seconds since the measured start
 * @param endSeconds the interval's end, in seconds since the measured start
 * @param successes operations that completed normally in the interval
 * @param failures operations that threw in the interval
 * @param p50Nanos median latency in the interval; 0 without successes
 * @param p95Nanos 95th percentile in the interval; 0 without successes
 * @param p99Nanos 99th percentile in the interval; 0 without successes
 * @param maxNanos largest latency in the interval; 0 without successes
 */
public record IntervalStats(
        double startSeconds,
        double endSeconds,
        long successes,
        long failures,
        long p50Nanos,
        long p95Nanos,
        long p99Nanos,
        long maxNanos) {

    /** Successes per second of the interval; 0 for an empty interval. */
    public double throughput() {
        double seconds = endSeconds - startSeconds;
        return seconds > 0 ? successes / seconds : 0;
    }
}
