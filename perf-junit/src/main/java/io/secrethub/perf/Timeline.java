package io.secrethub.perf;

import java.util.List;
import java.util.Objects;

/**
 * The whole method's or one named operation's figures over the measured part, as the HTML report draws them.
 *
 * @param operation the operation's name; {@code ""} for the whole method (as in {@link SloOutcome#operation()})
 * @param intervals the sampling intervals in time order
 * @param distribution the latency of all successful operations at rising percentiles (HdrHistogram's percentile
 *     spectrum: ever finer steps towards 100); empty without successes
 * @param trend the p95 of the first third of the run against the last third
 */
public record Timeline(String operation, List<IntervalStats> intervals, List<PercentileValue> distribution,
        LatencyTrend trend) {

    /** Copies the lists, so the record stays immutable. */
    public Timeline {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(trend, "trend");
        intervals = List.copyOf(intervals);
        distribution = List.copyOf(distribution);
    }
}
